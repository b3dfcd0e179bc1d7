"""Dates typed about a patient are checked against the clinic's today. Clinic A is in
Auckland and the server in UTC: at 20:30 UTC on 1 December 2026 it is 2 December at the
clinic, so "today" in a form is the 2nd, and the 3rd is still in the future."""

import datetime as dt

import pytest

from mesoclinic.patients.forms import IntakeForm, PatientForm
from mesoclinic.patients.models import Patient
from mesoclinic.photos.forms import ConsentForm
from tests.support import personas

pytestmark = pytest.mark.django_db

EVENING_UTC = dt.datetime(2026, 12, 1, 20, 30, tzinfo=dt.UTC)
CLINIC_TODAY = dt.date(2026, 12, 2)


@pytest.fixture
def auckland(clinic_a, settings, time_machine):
    settings.TIME_ZONE = "UTC"
    time_machine.move_to(EVENING_UTC, tick=False)
    clinic_a.timezone = "Pacific/Auckland"
    clinic_a.save()
    return clinic_a


def test_a_baby_born_today_at_the_clinic_can_be_registered(auckland, frank, login):
    client = login(frank)
    data = {
        "given_name": "Deniz",
        "family_name": "Kaya",
        "birth_date": "2026-12-02",
        "sex": "unknown",
    }
    page = client.post("/patients/new", data)
    assert page.status_code == 302, page.content.decode()
    assert Patient.objects.get(given_name="Deniz").birth_date == CLINIC_TODAY
    tomorrow = PatientForm({**data, "birth_date": "2026-12-03"}, clinic=auckland)
    assert not tomorrow.is_valid()
    assert tomorrow.errors["birth_date"] == ["The date of birth is in the future."]


def test_the_chart_counts_age_on_the_clinics_day(auckland, alice, login):
    born = personas.make_patient(personas.actor(alice), born=dt.date(1990, 12, 2))
    page = login(alice).get(f"/patients/{born.code}/")
    assert page.context["age"] == 36  # a birthday at the clinic; still 35 on the server


def test_an_intake_date_of_today_is_not_in_the_future(auckland, patient):
    def form(day):
        return IntakeForm(
            {
                "fact_last_aspirin_or_nsaid": "date",
                "fact_last_aspirin_or_nsaid_date": day,
            },
            patient=patient,
        )

    today = form("2026-12-02")
    assert today.is_valid(), today.errors
    assert today.cleaned_data["answers"]["last_aspirin_or_nsaid"] == "2026-12-02"
    tomorrow = form("2026-12-03")
    assert not tomorrow.is_valid()
    assert tomorrow.errors["fact_last_aspirin_or_nsaid_date"] == ["This date is in the future."]


def test_photo_consent_dates_default_to_and_check_the_clinics_today(auckland, nora, patient, login):
    page = login(nora).get(f"/photos/patients/{patient.code}/consent")
    assert page.context["form"]["signed_on"].value() == CLINIC_TODAY
    data = {"scope": "clinical", "signer_name": "Ayşe Yılmaz"}
    assert ConsentForm({**data, "signed_on": "2026-12-02"}, clinic=auckland).is_valid()
    later = ConsentForm({**data, "signed_on": "2026-12-03"}, clinic=auckland)
    assert later.errors["signed_on"] == ["A consent cannot be signed in the future."]


def test_the_120_year_check_holds_on_29_february(clinic_a, time_machine):
    """2020-02-29 has no twin in 1900 (not a leap year): the oldest accepted is 1900-02-28."""
    time_machine.move_to(dt.datetime(2020, 2, 29, 12, tzinfo=dt.UTC), tick=False)
    data = {"given_name": "Ayla", "family_name": "Kaya", "sex": "female"}
    assert PatientForm({**data, "birth_date": "1900-02-28"}, clinic=clinic_a).is_valid()
    old = PatientForm({**data, "birth_date": "1900-02-27"}, clinic=clinic_a)
    assert not old.is_valid()
    assert "120 years" in str(old.errors["birth_date"])
