"""Request-level protections (accounts/security.py): each test fails on the code before it."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from mesoclinic.accounts import security
from mesoclinic.audit.models import AuditEvent
from tests.support import personas

LOGIN = "accounts:login"


def _fail(client, username, ip="10.0.0.1", **extra):
    return client.post(
        reverse(LOGIN), {"username": username, "password": "wrong"}, REMOTE_ADDR=ip, **extra
    )


# --- idle timeout -------------------------------------------------------------------------


def test_the_alert_badge_poll_never_keeps_an_idle_session_alive(login, nora, settings):
    client = login(nora)
    assert client.get(reverse("patients:list")).status_code == 200
    session = client.session
    session[security.IDLE_KEY] = int(time.time()) - settings.SESSION_COOKIE_AGE + 5
    session.save()
    # the page polls its badge: that is not the user acting, so the clock is not renewed
    assert client.get(reverse("followup:alerts_badge")).status_code in (200, 204)
    assert client.session[security.IDLE_KEY] < int(time.time()) - settings.SESSION_COOKIE_AGE + 10
    session = client.session
    session[security.IDLE_KEY] = int(time.time()) - settings.SESSION_COOKIE_AGE - 1
    session.save()
    page = client.get(reverse("patients:list"))
    assert page.status_code == 302 and page.url.startswith(reverse(LOGIN))
    assert "_auth_user_id" not in client.session


def test_a_poll_after_the_timeout_sends_the_page_to_sign_in(login, nora, settings):
    client = login(nora)
    client.get(reverse("patients:list"))
    session = client.session
    session[security.IDLE_KEY] = int(time.time()) - settings.SESSION_COOKIE_AGE - 1
    session.save()
    poll = client.get(reverse("followup:alerts_badge"), HTTP_HX_REQUEST="true")
    assert poll["HX-Redirect"] == reverse(LOGIN)
    assert "_auth_user_id" not in client.session


def test_the_users_own_request_renews_the_clock(login, nora):
    client = login(nora)
    session = client.session
    session[security.IDLE_KEY] = int(time.time()) - 600
    session.save()
    client.get(reverse("patients:list"))
    assert client.session[security.IDLE_KEY] >= int(time.time()) - 2


def test_a_second_read_within_the_minute_does_not_write_the_session(login, nora):
    client = login(nora)
    session = client.session
    session[security.IDLE_KEY] = int(time.time()) - 600
    session.save()
    first = client.get(reverse("patients:list"))
    assert settings_cookie(first)  # the clock was renewed: the session was saved
    again = client.get(reverse("patients:list"))
    assert again.status_code == 200 and not settings_cookie(again)


def settings_cookie(response):
    from django.conf import settings

    return settings.SESSION_COOKIE_NAME in response.cookies


# --- no caching of pages with patient data --------------------------------------------------


def test_signed_in_pages_are_never_cached(login, nora):
    page = login(nora).get(reverse("patients:list"))
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]


# --- request body limits --------------------------------------------------------------------


def test_an_anonymous_large_body_is_refused_before_it_is_read(client, db, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    big = SimpleUploadedFile("x.jpg", b"\xff" * (settings.ANONYMOUS_REQUEST_MAX_BYTES + 1))
    page = client.post(reverse("portal:home"), {"photo": big})
    assert page.status_code == 413
    assert "too large" in page.content.decode()
    assert list(tmp_path.iterdir()) == []  # nothing was spooled to disk


def test_a_signed_in_body_over_the_limit_is_refused(login, nora, settings):
    settings.REQUEST_MAX_BYTES = 1000
    page = login(nora).post(reverse("patients:list"), {"q": "x" * 2000})
    assert page.status_code == 413


def test_a_malformed_content_length_is_refused(client, db):
    page = client.generic("POST", reverse(LOGIN), b"", CONTENT_LENGTH="lots")
    assert page.status_code == 400


# --- client address behind proxies -----------------------------------------------------------


def _request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_forwarded_for_is_ignored_without_trusted_proxies(settings):
    settings.TRUSTED_PROXIES = []
    assert security.client_ip(_request("10.0.0.5", "1.2.3.4")) == "10.0.0.5"


def test_forwarded_for_is_read_from_the_right_behind_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    # the client forged the left-most entry; the proxy appended the real address
    assert security.client_ip(_request("10.0.0.5", "6.6.6.6, 1.2.3.4")) == "1.2.3.4"
    assert security.client_ip(_request("10.0.0.5", "1.2.3.4, 10.0.0.7")) == "1.2.3.4"
    assert security.client_ip(_request("192.0.2.9", "1.2.3.4")) == "192.0.2.9"  # not a proxy
    assert security.client_ip(_request("10.0.0.5", "garbage")) == "10.0.0.5"


def test_behind_one_proxy_each_client_is_locked_out_on_its_own(client, nora, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, "nora", ip="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66")
    # the attacker is locked out; nora, through the same proxy, still signs in
    page = client.post(
        reverse(LOGIN),
        {"username": "nora", "password": personas.PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert page.status_code == 302


# --- sign-in limits per account and per address ------------------------------------------------


def test_an_account_is_refused_after_failures_from_many_addresses(client, nora, settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 6
    for n in range(6):
        _fail(client, "nora", ip=f"192.0.2.{n + 1}")
    page = client.post(
        reverse(LOGIN),
        {"username": "nora", "password": personas.PASSWORD},
        REMOTE_ADDR="192.0.2.99",
    )
    assert page.status_code == 200 and "_auth_user_id" not in client.session
    assert "locked" in page.content.decode()


def test_an_address_is_refused_after_failures_on_many_accounts(client, nora, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 6
    for n in range(6):
        _fail(client, f"guess{n}", ip="203.0.113.5")
    page = client.post(
        reverse(LOGIN),
        {"username": "nora", "password": personas.PASSWORD},
        REMOTE_ADDR="203.0.113.5",
    )
    assert "_auth_user_id" not in client.session
    assert "network" in page.content.decode()


def test_old_failures_do_not_count(client, nora, settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 2
    for n in range(2):
        _fail(client, "nora", ip=f"192.0.2.{n + 1}")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timezone.timedelta(days=1))
    page = client.post(
        reverse(LOGIN), {"username": "nora", "password": personas.PASSWORD}, REMOTE_ADDR="192.0.2.9"
    )
    assert page.status_code == 302


def test_failed_sign_ins_and_lockouts_are_in_the_clinics_audit(client, nora, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, "nora")
    failed = AuditEvent.objects.filter(action="login_failed", username="nora")
    assert failed.count() == settings.AXES_FAILURE_LIMIT
    assert {e.clinic_id for e in failed} == {nora.membership.clinic_id}
    locked = AuditEvent.objects.get(action="locked_out", username="nora")
    assert locked.clinic_id == nora.membership.clinic_id
    _fail(client, "nobody-here")
    assert AuditEvent.objects.get(action="login_failed", username="nobody-here").clinic is None


# --- settings ---------------------------------------------------------------------------------


def _settings_probe(env: dict, code: str) -> subprocess.CompletedProcess:
    full = {**os.environ, "DJANGO_SETTINGS_MODULE": "mesoclinic.settings", **env}
    return subprocess.run(
        [sys.executable, "-c", code], env=full, capture_output=True, text=True, timeout=60
    )


def test_the_proxy_ssl_header_comes_from_the_environment():
    done = _settings_probe(
        {"SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto=https"},
        "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)",
    )
    assert done.returncode == 0, done.stderr
    assert "('HTTP_X_FORWARDED_PROTO', 'https')" in done.stdout


@pytest.mark.parametrize(
    "env, named",
    [
        ({"SECURE_PROXY_SSL_HEADER": "https"}, "SECURE_PROXY_SSL_HEADER"),
        ({"TRUSTED_PROXIES": "10.0.0.1,not-an-ip"}, "TRUSTED_PROXIES"),
    ],
)
def test_a_bad_proxy_setting_names_itself_without_a_traceback(env, named, tmp_path):
    done = subprocess.run(
        [str(Path(sys.executable).with_name("mesoclinic")), "check"],
        env={**os.environ, "MESOCLINIC_VAR_DIR": str(tmp_path / "var"), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert named in done.stderr and "Traceback" not in done.stderr


def test_importing_the_settings_creates_no_folder(tmp_path):
    var = tmp_path / "var"
    done = _settings_probe(
        {"MESOCLINIC_VAR_DIR": str(var)}, "from django.conf import settings; settings.DATABASES"
    )
    assert done.returncode == 0, done.stderr
    assert not var.exists()


def test_the_command_creates_the_local_folders_it_needs(tmp_path):
    var = tmp_path / "var"
    done = subprocess.run(
        [str(Path(sys.executable).with_name("mesoclinic")), "check"],
        env={**os.environ, "MESOCLINIC_VAR_DIR": str(var)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert (var / "static").is_dir()


@override_settings(DEBUG=False)
def test_pages_behind_a_tls_proxy_do_not_redirect_forever(client, nora, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get(reverse(LOGIN), HTTP_X_FORWARDED_PROTO="https").status_code == 200
    assert client.get(reverse(LOGIN)).status_code == 301


def test_the_refusals_read_in_turkish(client, nora, settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 1
    _fail(client, "nora", ip="192.0.2.1")
    page = client.post(
        reverse(LOGIN),
        {"username": "nora", "password": personas.PASSWORD},
        REMOTE_ADDR="192.0.2.2",
        HTTP_ACCEPT_LANGUAGE="tr",
    )
    assert "dakika kilitlendi" in page.content.decode()
