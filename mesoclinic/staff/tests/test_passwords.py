"""Issue 14: a person changes their password, or resets it by e-mail; the reset page
answers the same whether or not an account has the address, and the link starts with
SITE_URL, not with the request's Host header."""

import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db
NEW = "quiet-orchard-lantern-83"


def test_change_password_needs_the_old_one(login, nora):
    nora.set_password("old-password-long-1")
    nora.save()
    client = login(nora)
    assert client.get("/accounts/password").status_code == 200
    wrong = client.post(
        "/accounts/password",
        {"old_password": "nope", "new_password1": NEW, "new_password2": NEW},
    )
    assert (
        wrong.status_code == 200
        and "old password was entered incorrectly" in wrong.content.decode()
    )
    weak = client.post(
        "/accounts/password",
        {"old_password": "old-password-long-1", "new_password1": "123", "new_password2": "123"},
    )
    assert "too short" in weak.content.decode()
    ok = client.post(
        "/accounts/password",
        {"old_password": "old-password-long-1", "new_password1": NEW, "new_password2": NEW},
    )
    assert ok.status_code == 302 and ok.url == "/accounts/password/changed"
    nora.refresh_from_db()
    assert nora.check_password(NEW)


def test_reset_by_e_mail_without_telling_who_exists(client, nora, settings):
    settings.SITE_URL = "https://clinic.example.org"
    nora.email = "nora@example.org"
    nora.save()
    unknown = client.post("/accounts/password/reset", {"email": "nobody@example.org"})
    known = client.post(
        "/accounts/password/reset", {"email": "nora@example.org"}, HTTP_HOST="localhost"
    )
    assert (unknown.status_code, unknown.url) == (known.status_code, known.url)
    (sent,) = mail.outbox
    assert sent.to == ["nora@example.org"] and "nora" in sent.body
    link = re.search(r"https://clinic\.example\.org/accounts/password/reset/\S+", sent.body)[0]
    path = link.removeprefix("https://clinic.example.org")
    form = client.get(path, follow=True)
    assert form.status_code == 200 and 'name="new_password1"' in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    nora.refresh_from_db()
    assert nora.check_password(NEW)
    assert "cannot be used any more" in client.get(path, follow=True).content.decode()


def test_the_sign_in_page_offers_the_reset(client, nora):
    assert "/accounts/password/reset" in client.get("/accounts/login").content.decode()
