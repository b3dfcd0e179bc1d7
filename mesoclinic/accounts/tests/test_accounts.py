import os
import subprocess
import sys

import pytest
from django.contrib.auth.hashers import make_password
from django.test import override_settings
from django.urls import reverse

from mesoclinic.audit.models import AuditEvent
from tests.support import personas


def test_passwords_are_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    assert make_password("a long enough password").startswith("argon2$argon2id$")


def test_sign_in_and_out_are_audited(client, nora):
    page = client.post(
        reverse("accounts:login"), {"username": "nora", "password": personas.PASSWORD}
    )
    assert page.status_code == 302 and page.url == reverse(
        "dashboard:home"
    )  # the staff home per role (issue 17)
    assert AuditEvent.objects.filter(action="login", username="nora").exists()
    client.post(reverse("accounts:logout"))
    assert AuditEvent.objects.filter(action="logout", username="nora").exists()


def test_a_wrong_password_is_refused_and_audited(client, nora):
    page = client.post(reverse("accounts:login"), {"username": "nora", "password": "wrong"})
    assert page.status_code == 200
    assert "correct username and password" in page.content.decode()
    assert AuditEvent.objects.filter(action="login_failed", username="nora").exists()


def test_repeated_failures_lock_the_account_even_for_the_right_password(client, nora, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "nora", "password": "wrong"})
    page = client.post(
        reverse("accounts:login"), {"username": "nora", "password": personas.PASSWORD}
    )
    assert page.status_code == 429
    assert "Too many failed sign-ins" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_sessions_end_after_inactivity(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    # renewed by the user's own requests only (accounts/security.py, test_security.py)
    assert settings.SESSION_SAVE_EVERY_REQUEST is False


def test_a_user_without_a_clinic_cannot_see_patients(client, db):
    from mesoclinic.accounts.models import User

    loner = User.objects.create_user("loner", password=personas.PASSWORD)
    client.force_login(loner)
    assert client.get(reverse("patients:list")).status_code == 403


def test_a_deactivated_membership_loses_access(login, nora):
    client = login(nora)
    nora.membership.is_active = False
    nora.membership.save()
    assert client.get(reverse("patients:list")).status_code == 403


@override_settings(DEBUG=False)
def test_security_headers_and_csp(client, nora):
    page = client.get(reverse("accounts:login"))
    csp = page.headers["Content-Security-Policy"]
    assert (
        "default-src 'self'" in csp
        and "object-src 'none'" in csp
        and "frame-ancestors 'none'" in csp
    )
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "False",
        "SECRET_KEY": "x" * 20 + "production-secret-key-with-enough-entropy-1234567890",
        "ALLOWED_HOSTS": "clinic.example.org",
        "SITE_URL": "https://clinic.example.org",
        "MESOCLINIC_VAR_DIR": str(tmp_path),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests of this run
    proc = subprocess.run(
        [sys.executable, "-m", "mesoclinic", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_production_refuses_the_development_secret(tmp_path):
    env = {**os.environ, "DEBUG": "False", "MESOCLINIC_VAR_DIR": str(tmp_path)}
    env.pop("SECRET_KEY", None)
    proc = subprocess.run(
        [sys.executable, "-m", "mesoclinic", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0 and "SECRET_KEY must be set" in proc.stderr


@pytest.mark.parametrize("role", ["physician", "nurse", "front_desk", "clinic_admin"])
def test_each_staff_role_can_sign_in_and_see_the_patient_list(client, clinic_a, role):
    user = personas.make_user(f"u-{role}", clinic_a, role)
    client.force_login(user)
    assert client.get(reverse("patients:list")).status_code == 200
