"""Registering a patient who may already be on file (same name and date of birth, accents
and case ignored, or the same phone) shows the possible duplicates with links and saves
only after an explicit "this is a different person"."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from mesoclinic.patients.access import duplicates_query
from mesoclinic.patients.models import Patient
from tests.support import personas

pytestmark = pytest.mark.django_db


def _form(**extra):
    return {
        "given_name": "Şule",
        "family_name": "Öztürk",
        "birth_date": "1985-03-02",
        "sex": "female",
        "phone": "",
        **extra,
    }


@pytest.fixture
def sule(alice):
    return personas.make_patient(
        personas.actor(alice),
        given="Şule",
        family="Öztürk",
        born=dt.date(1985, 3, 2),
        phone="+90 532 111 22 33",
    )


@pytest.mark.parametrize(
    "typed",
    [
        {"given_name": "sule", "family_name": "OZTURK"},  # accents and case
        {"given_name": "Ayla", "family_name": "Demir", "phone": "+90 (532) 111-22-33"},
    ],
)
def test_a_possible_duplicate_is_shown_and_nothing_is_saved(login, frank, sule, typed):
    client = login(frank)
    page = client.post(reverse("patients:register"), _form(**typed))
    assert page.status_code == 400
    assert "may be a patient already registered" in page.text
    assert reverse("patients:chart", args=[sule.code]) in page.text
    assert "This is a different person" in page.text
    assert Patient.objects.count() == 1


def test_an_explicit_different_person_registers_them(login, frank, sule):
    client = login(frank)
    page = client.post(
        reverse("patients:register"), _form(given_name="sule", different_person="on")
    )
    assert page.status_code == 302
    assert Patient.objects.count() == 2


def test_no_duplicate_registers_at_once_and_the_box_is_not_shown(login, frank, sule):
    client = login(frank)
    assert "different person" not in client.get(reverse("patients:register")).text
    page = client.post(reverse("patients:register"), _form(birth_date="1985-03-03"))
    assert page.status_code == 302 and Patient.objects.count() == 2


def test_another_clinics_patient_is_never_offered(login, charlie, sule):
    page = login(charlie).post(reverse("patients:register"), _form())
    assert page.status_code == 302
    assert sule.full_name not in page.text


@pytest.mark.parametrize("phone", ["", "+90 532 111 22 33"])
def test_the_duplicate_check_is_an_index_lookup(alice, phone):
    """Issue 18: the check on registering reads through its own indexes (name and date of
    birth, phone), never a scan of the clinic's patients."""
    clinic = personas.actor(alice).clinic
    for i in range(30):
        personas.make_patient(personas.actor(alice), f"Given{i}", f"Family{i}")
    query = duplicates_query(clinic, "Şule", "Öztürk", dt.date(1985, 3, 2), phone)
    if connection.vendor == "postgresql":
        # a planner with statistics on a tiny table may pick either index (or none): the
        # indexes exist and serve the query when a scan is not an option
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        assert "Seq Scan" not in query.explain()
        with connection.cursor() as cursor:
            indexes = connection.introspection.get_constraints(cursor, "patients_patient")
        assert {"patients_dup_name_idx", "patients_dup_phone_idx"} <= set(indexes)
        return
    plan = query.explain()
    assert "patients_dup_name_idx" in plan
    assert ("patients_dup_phone_idx" in plan) is bool(phone)
