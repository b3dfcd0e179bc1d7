"""The clinic's phone: validated, edited on the clinic settings page, turned into a
tap-to-call link."""

import pytest
from django.core.exceptions import ValidationError

from mesoclinic.audit.models import AuditEvent
from mesoclinic.lib.phone import tel_href, validate_phone

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "href"),
    [
        ("+90 212 555 01 01", "tel:+902125550101"),
        ("(0212) 555-0101", "tel:02125550101"),
        ("", ""),
    ],
)
def test_a_phone_becomes_a_tel_link(value, href):
    validate_phone(value)
    assert tel_href(value) == href


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("call us", "digits, spaces"),
        ("12 34", "too short"),
        ("+90 212 555 01 01 99 99 9", "too long"),
        ("0212+555", r"A \+ may only begin"),
    ],
)
def test_a_bad_phone_is_refused_with_the_reason(value, message):
    with pytest.raises(ValidationError, match=message):
        validate_phone(value)


def test_the_clinic_admin_sets_the_phone_on_the_settings_page(login, adam, clinic_a):
    client = login(adam)
    page = client.get("/accounts/clinic")
    assert 'name="phone"' in page.content.decode() and 'type="tel"' in page.content.decode()
    data = {"name": "Clinic A", "timezone": "Europe/Istanbul", "on_call_email": ""}
    bad = client.post("/accounts/clinic", {**data, "phone": "ring ring"})
    assert bad.status_code == 400 and "digits, spaces" in bad.content.decode()
    clinic_a.refresh_from_db()
    assert clinic_a.phone == ""
    good = client.post("/accounts/clinic", {**data, "phone": "+90 212 555 01 01"})
    assert good.status_code == 302
    clinic_a.refresh_from_db()
    assert clinic_a.phone == "+90 212 555 01 01"
    event = AuditEvent.objects.get(action="update", object_type="Clinic")
    assert event.detail == {"changed": {"phone": ["", "+90 212 555 01 01"]}}
