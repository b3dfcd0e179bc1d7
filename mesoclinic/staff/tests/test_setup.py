"""Issue 14: a fresh installation creates its own clinic and first clinic admin, on the
web (first-run set-up) or with `mesoclinic createclinic`; both refuse once a clinic exists."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mesoclinic.accounts.models import Clinic, Membership, User
from mesoclinic.audit.models import AuditEvent
from mesoclinic.scheduling.models import OpeningHours

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "Nişantaşı Skin",
    "address": "Teşvikiye Cd. 1, İstanbul",
    "phone": "+90 212 555 01 01",
    "timezone": "Europe/Istanbul",
    "languages": ["en", "tr"],
    "days": ["0", "1", "2", "3", "4"],
    "opens": "09:00",
    "closes": "18:00",
    "username": "derya",
    "email": "derya@example.org",
    "password1": "a long clinic passphrase 77",
    "password2": "a long clinic passphrase 77",
}


def test_a_fresh_install_leads_to_the_set_up(client):
    assert client.get("/accounts/login").url == "/staff/setup"
    page = client.get("/staff/setup")
    assert page.status_code == 200 and 'name="timezone"' in page.content.decode()


def test_the_set_up_creates_the_clinic_its_hours_and_its_admin(client):
    done = client.post("/staff/setup", GOOD)
    assert done.status_code == 302 and done.url == "/staff/"
    clinic = Clinic.objects.get()
    assert (clinic.name, clinic.timezone, clinic.phone) == (
        "Nişantaşı Skin",
        "Europe/Istanbul",
        "+90 212 555 01 01",
    )
    assert clinic.languages == ["en", "tr"] and "Teşvikiye" in clinic.address
    assert OpeningHours.objects.filter(clinic=clinic).count() == 5
    admin = Membership.objects.get(clinic=clinic)
    assert admin.role == "clinic_admin" and admin.user.check_password(GOOD["password1"])
    assert AuditEvent.objects.filter(clinic=clinic, action="create", object_type="Clinic").exists()
    assert client.get("/staff/").status_code == 200  # signed in as the admin


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone", "is not a time zone"),
        ({"password1": "123", "password2": "123"}, "password1", "too short"),
        ({"password2": "something else"}, "password2", "differ"),
        ({"closes": "08:00"}, "closes", "after opening"),
        ({"phone": "call us"}, "phone", "digits"),
        ({"languages": ["xx"]}, "languages", "xx"),
    ],
)
def test_bad_set_up_input_is_named_and_nothing_is_stored(client, change, field, message):
    page = client.post("/staff/setup", {**GOOD, **change})
    assert page.status_code == 400
    assert message in str(page.context["form"].errors[field])
    assert not Clinic.objects.exists() and not User.objects.exists()


def test_the_set_up_is_refused_once_a_clinic_exists(client, clinic_a):
    assert client.get("/staff/setup").status_code == 403
    assert client.post("/staff/setup", GOOD).status_code == 403
    assert Clinic.objects.count() == 1 and not User.objects.filter(username="derya").exists()


ARGS = [
    "--no-input",
    "--name=Moda Clinic",
    "--timezone=Europe/Istanbul",
    "--languages=en,tr",
    "--hours=mon-fri 09:00-18:00, sat 10:00-14:00",
    "--admin-username=derya",
    "--admin-email=derya@example.org",
]


def test_createclinic_with_flags(tmp_path, monkeypatch):
    secret = tmp_path / "pw"
    secret.write_text("a long clinic passphrase 77\n")
    out = io.StringIO()
    call_command("createclinic", *ARGS, f"--admin-password-file={secret}", stdout=out)
    clinic = Clinic.objects.get()
    assert "Moda Clinic" in out.getvalue() and clinic.languages == ["en", "tr"]
    assert OpeningHours.objects.filter(clinic=clinic).count() == 6
    user = User.objects.get(username="derya")
    assert user.membership.role == "clinic_admin" and user.check_password(
        "a long clinic passphrase 77"
    )
    with pytest.raises(CommandError, match="already has a clinic") as refused:
        call_command("createclinic", *ARGS, f"--admin-password-file={secret}")
    assert refused.value.returncode == 2


def test_createclinic_prompts(monkeypatch):
    answers = iter(["Prompted Clinic", "", "", "", "", "", "derya", ""])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    passwords = iter(["a long clinic passphrase 77"] * 2)
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(passwords))
    call_command("createclinic", stdout=io.StringIO())
    clinic = Clinic.objects.get()
    assert clinic.name == "Prompted Clinic" and clinic.timezone == "Europe/Istanbul"
    assert OpeningHours.objects.filter(clinic=clinic).count() == 5  # the default: mon-fri


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--timezone=Mars/Olympus"], "--timezone"),
        (["--hours=someday 9-5"], "--hours"),
        (["--languages=en,xx"], "--languages"),
        (["--admin-username=bad name!"], "--admin-username"),
    ],
)
def test_createclinic_bad_input_exits_2_naming_it(extra, message, monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "a long clinic passphrase 77")
    with pytest.raises(CommandError, match=message) as refused:
        call_command("createclinic", *ARGS, *extra)
    assert refused.value.returncode == 2
    assert not Clinic.objects.exists()


def test_createclinic_with_no_input_requires_the_values(monkeypatch):
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="--name is required"):
        call_command("createclinic", "--no-input")
    with pytest.raises(CommandError, match="ADMIN_PASSWORD"):
        call_command("createclinic", *ARGS)


def test_the_set_up_speaks_turkish(client):
    page = client.get("/staff/setup", HTTP_ACCEPT_LANGUAGE="tr")
    text = page.content.decode()
    assert "Kliniğinizi kurun" in text and "Saat dilimi" in text
    bad = client.post("/staff/setup", {**GOOD, "closes": "08:00"}, HTTP_ACCEPT_LANGUAGE="tr")
    assert "Kapanış saati açılış saatinden sonra olmalı." in bad.content.decode()
