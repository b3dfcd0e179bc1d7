"""Issue 14: the clinic's own settings (address, sender address, languages, the roles that
must use two-factor sign-in, logo) are set on the settings page and used: the sender on
every e-mail the outbox sends, the logo at the top of every page."""

import io

import pytest
from django.core import mail
from PIL import Image

from mesoclinic.accounts.models import Clinic
from mesoclinic.outbox import delivery
from mesoclinic.outbox.models import Message

pytestmark = pytest.mark.django_db

BASE = {"name": "Clinic A", "timezone": "Europe/Istanbul", "on_call_email": "", "phone": ""}


def _png() -> io.BytesIO:
    buf = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(buf, "PNG")
    buf.seek(0)
    buf.name = "logo.png"
    return buf


def test_settings_are_saved_and_the_sender_is_used(login, adam, clinic_a):
    admin = login(adam)
    r = admin.post(
        "/accounts/clinic",
        {
            **BASE,
            "address": "Moda Cd. 5",
            "sender_email": "hello@clinic-a.example",
            "languages": ["en", "tr"],
            "two_factor_roles": ["physician", "nurse"],
        },
    )
    assert r.status_code == 302
    clinic_a.refresh_from_db()
    assert clinic_a.sender_email == "hello@clinic-a.example" and clinic_a.address == "Moda Cd. 5"
    assert clinic_a.two_factor_roles == ["physician", "nurse"]
    admin.post("/staff/", {"email": "new@example.org", "role": "nurse"})
    message = Message.objects.get(kind="staff_invitation")
    assert delivery.deliver(message.pk) == "sent"
    assert mail.outbox[-1].from_email == "hello@clinic-a.example"


def test_bad_settings_are_named(login, adam, clinic_a):
    admin = login(adam)
    r = admin.post(
        "/accounts/clinic", {**BASE, "sender_email": "nope", "two_factor_roles": ["patient"]}
    )
    assert r.status_code == 400
    errors = r.context["form"].errors
    assert "sender_email" in errors and "two_factor_roles" in errors


def test_the_logo_is_uploaded_checked_and_shown(login, adam, clinic_a, settings, tmp_path):
    settings.PHOTOS_ROOT = tmp_path
    admin = login(adam)
    bad = io.BytesIO(b"<svg onload=alert(1)>")
    bad.name = "logo.svg"
    r = admin.post("/accounts/clinic", {**BASE, "logo_file": bad})
    assert r.status_code == 400 and "logo_file" in r.context["form"].errors
    assert Clinic.objects.get(pk=clinic_a.pk).logo == ""
    assert admin.post("/accounts/clinic", {**BASE, "logo_file": _png()}).status_code == 302
    clinic_a.refresh_from_db()
    assert clinic_a.logo.startswith(f"clinic/{clinic_a.code}/")
    logo = admin.get(f"/accounts/clinic/{clinic_a.code}/logo")
    assert logo.status_code == 200 and logo.content[:3] == b"\xff\xd8\xff"  # re-encoded JPEG
    assert f"/accounts/clinic/{clinic_a.code}/logo" in admin.get("/staff/").content.decode()
