"""The clinic's time zone: validated where it is stored and edited, activated for every
request of its staff and patients, reported when a stored value is not a zone."""

import datetime as dt
import importlib
import logging
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core import checks
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from mesoclinic.accounts.forms import ClinicForm
from mesoclinic.accounts.middleware import ActorMiddleware
from mesoclinic.accounts.models import Clinic
from mesoclinic.audit.actions import record
from mesoclinic.audit.models import AuditEvent
from mesoclinic.lib import clinicday
from tests.support import personas

# 20:30 UTC on Tuesday 1 December 2026 is 09:30 on Wednesday 2 December in Auckland
EVENING_UTC = dt.datetime(2026, 12, 1, 20, 30, tzinfo=dt.UTC)


@pytest.fixture
def auckland(clinic_a, settings, time_machine):
    """The server runs in UTC; clinic A is in Auckland, where it is already tomorrow."""
    settings.TIME_ZONE = "UTC"
    time_machine.move_to(EVENING_UTC, tick=False)
    clinic_a.timezone = "Pacific/Auckland"
    clinic_a.save()
    return clinic_a


def test_the_model_refuses_a_zone_that_does_not_exist(db):
    clinic = Clinic(name="Clinic Z", timezone="Europe/Istambul")
    with pytest.raises(ValidationError) as err:
        clinic.full_clean()
    assert err.value.message_dict["timezone"] == [
        "“Europe/Istambul” is not a time zone. Choose one from the list, such as Europe/Istanbul."
    ]
    Clinic(name="Clinic Z", timezone="Pacific/Auckland").full_clean()


def test_the_form_offers_the_zones_and_refuses_anything_else(clinic_a):
    form = ClinicForm({"name": "Clinic A", "timezone": "Mars/Olympus_Mons"}, instance=clinic_a)
    assert not form.is_valid()
    assert form.errors["timezone"] == [
        "“Mars/Olympus_Mons” is not a time zone. Choose one from the list."
    ]
    choices = dict(form.fields["timezone"].choices)
    assert choices["Pacific/Auckland"] == "Pacific/Auckland" and "Mars/Olympus_Mons" not in choices
    form = ClinicForm({"name": "Clinic A", "timezone": "Pacific/Auckland"}, instance=clinic_a)
    assert form.is_valid(), form.errors


def test_the_clinic_admin_sets_the_zone_and_the_change_is_audited(login, adam, clinic_a):
    client = login(adam)
    page = client.get("/accounts/clinic")
    assert page.status_code == 200 and b'<option value="Pacific/Auckland">' in page.content
    bad = client.post("/accounts/clinic", {"name": "Clinic A", "timezone": "Nowhere/Land"})
    assert bad.status_code == 400
    assert "“Nowhere/Land” is not a time zone" in bad.content.decode()
    clinic_a.refresh_from_db()
    assert clinic_a.timezone == "Europe/Istanbul"  # nothing saved
    good = client.post(
        "/accounts/clinic",
        {"name": "Clinic A", "timezone": "Pacific/Auckland", "on_call_email": ""},
    )
    assert good.status_code == 302
    clinic_a.refresh_from_db()
    assert clinic_a.timezone == "Pacific/Auckland"
    event = AuditEvent.objects.get(action="update", object_type="Clinic")
    assert event.username == "adam" and event.clinic_id == clinic_a.pk
    assert event.detail == {"changed": {"timezone": ["Europe/Istanbul", "Pacific/Auckland"]}}


@pytest.mark.parametrize("who", ["alice", "nora", "frank"])
def test_only_the_clinic_admin_edits_the_clinic(login, request, who):
    client = login(request.getfixturevalue(who))
    assert client.get("/accounts/clinic").status_code == 403
    assert client.post("/accounts/clinic", {"timezone": "UTC"}).status_code == 403


def test_pages_show_the_clinics_time_and_the_zone_ends_with_the_response(auckland, login, adam):
    record(personas.actor(adam), "view", summary="a read at 20:30 UTC")
    client = login(adam)
    page = client.get("/accounts/clinic").content.decode()
    assert "The clinic’s clock reads 2 December 2026 09:30 (Pacific/Auckland)." in page
    audit = client.get("/audit/").content.decode()
    assert "2 December 2026 09:30:00" in audit and "1 December 2026 20:30:00" not in audit
    assert timezone.get_current_timezone() == ZoneInfo("UTC")  # deactivated afterwards


def _zone_seen_by_a_view(user) -> tuple:
    seen = []

    def view(request):
        seen.append(timezone.get_current_timezone())
        return "response"

    request = RequestFactory().get("/")
    request.user = user
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    response = ActorMiddleware(view)(request)
    return response, seen[0]


def test_the_middleware_activates_the_clinics_zone_for_staff_and_patients(auckland, nora, patient):
    from django.contrib.auth.models import AnonymousUser

    from tests.support import journeys

    for user in (nora, journeys.portal_user(nora, patient, "ayse")):
        response, zone = _zone_seen_by_a_view(user)
        assert response == "response" and zone == ZoneInfo("Pacific/Auckland")
        assert timezone.get_current_timezone() == ZoneInfo("UTC")
    _response, zone = _zone_seen_by_a_view(AnonymousUser())
    assert zone == ZoneInfo("UTC")  # no clinic, no clinic clock


def test_a_stored_zone_that_is_not_a_zone_falls_back_and_is_reported(auckland, login, adam, caplog):
    Clinic.objects.filter(pk=auckland.pk).update(timezone="Pacific/Aukland")
    clinicday._warned.clear()
    with caplog.at_level(logging.WARNING, logger="mesoclinic.lib.clinicday"):
        page = login(adam).get("/accounts/clinic")
    assert page.status_code == 200  # still works, on the installation's zone
    assert "1 December 2026 20:30 (UTC)" in page.content.decode()
    assert any("'Pacific/Aukland'" in r.getMessage() for r in caplog.records)
    found = checks.run_checks(tags=[checks.Tags.database], databases=["default"])
    mine = [m for m in found if m.id == "mesoclinic.accounts.W001"]
    assert len(mine) == 1 and "'Pacific/Aukland'" in mine[0].msg and "Clinic A" in mine[0].msg


def test_the_migration_repairs_only_what_is_unambiguous(db, caplog):
    migration = importlib.import_module(
        "mesoclinic.accounts.migrations.0002_clinic_timezone_validated"
    )
    spaced = Clinic.objects.create(name="Spaced", timezone=" america/los angeles ")
    typo = Clinic.objects.create(name="Typo", timezone="Pacific/Aukland")
    fine = Clinic.objects.create(name="Fine", timezone="Asia/Tokyo")
    with caplog.at_level(logging.WARNING, logger="mesoclinic.accounts"):
        migration.repair_time_zones(apps, None)
    for c in (spaced, typo, fine):
        c.refresh_from_db()
    assert spaced.timezone == "America/Los_Angeles"
    assert typo.timezone == "Pacific/Aukland"  # never guessed: the check reports it
    assert fine.timezone == "Asia/Tokyo"
    assert any("'Pacific/Aukland'" in r.getMessage() for r in caplog.records)
