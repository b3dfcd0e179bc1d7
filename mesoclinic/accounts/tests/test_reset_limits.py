"""Password reset links are limited per e-mail address and per client address, counted in
Django's cache the same way whether or not an account has the address (the answer tells
nobody which addresses are known). Sign-in lockout: test_security.py."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.utils import translation

pytestmark = pytest.mark.django_db
RESET = "/accounts/password/reset"


@pytest.fixture
def limits(settings):
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 2
    settings.PASSWORD_RESET_LIMIT_PER_IP = 4
    settings.PASSWORD_RESET_WINDOW_MINUTES = 60
    return settings


def ask(client, email, ip="203.0.113.7", **extra):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=ip, **extra)


def test_links_per_e_mail_address_are_limited_alike_for_known_and_unknown(client, nora, limits):
    nora.email = "nora@example.org"
    nora.save()
    for _ in range(2):
        assert ask(client, "nora@example.org").status_code == 302
        assert ask(client, "nobody@example.org").status_code == 302
    assert len(mail.outbox) == 2  # nora's two links; nothing for the unknown address
    known = ask(client, "Nora@Example.org ", ip="198.51.100.1")  # same address, other network
    unknown = ask(client, "nobody@example.org", ip="198.51.100.1")
    assert known.status_code == unknown.status_code == 429

    # the same page for both (but for the address and the CSRF tokens): nothing says
    # which address has an account
    def words(page, address):
        html = page.content.decode().replace(address, "X")
        return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", html)

    assert "Try again in 60 minutes" in known.content.decode()
    assert "a link already sent still works" in known.content.decode()
    assert words(known, "Nora@Example.org ") == words(unknown, "nobody@example.org")
    assert len(mail.outbox) == 2  # the refused request sent nothing


def test_links_per_client_address_are_limited(client, nora, limits):
    for n in range(4):
        assert ask(client, f"person{n}@example.org").status_code == 302
    refused = ask(client, "someone-else@example.org")
    assert refused.status_code == 429
    assert "from this network" in refused.content.decode()
    # another client is not held back by this one
    assert ask(client, "someone-else@example.org", ip="198.51.100.9").status_code == 302


def test_the_window_slides(client, nora, limits):
    with time_machine.travel(dt.datetime(2026, 12, 5, 8, tzinfo=dt.UTC), tick=False) as clock:
        assert ask(client, "a@example.org").status_code == 302
        clock.shift(dt.timedelta(minutes=30))
        assert ask(client, "a@example.org").status_code == 302
        clock.shift(dt.timedelta(minutes=10))
        page = ask(client, "a@example.org")
        assert page.status_code == 429 and "Try again in 20 minutes" in page.content.decode()
        clock.shift(dt.timedelta(minutes=21))  # the first request left the window
        assert ask(client, "a@example.org").status_code == 302


def test_the_refusal_is_in_turkish(client, nora, limits):
    for _ in range(2):
        ask(client, "a@example.org")
    with translation.override("tr"):
        page = ask(client, "a@example.org", HTTP_ACCEPT_LANGUAGE="tr")
    text = page.content.decode()
    assert page.status_code == 429 and "Too many" not in text and "60 dakika" in text


def test_a_malformed_address_is_refused_without_counting(client, limits):
    for _ in range(5):
        page = ask(client, "not-an-address")
        assert page.status_code == 200 and "valid email" in page.content.decode()
    assert ask(client, "a@example.org").status_code == 302
