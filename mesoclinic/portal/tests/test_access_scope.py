"""Who the portal takes a patient actor for: nobody without an account in their clinic;
an invitation secret that is empty or absurdly long is no invitation."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from mesoclinic.accounts.actor import Actor
from mesoclinic.portal import access
from mesoclinic.scheduling import access as scheduling_access
from tests.support import journeys, personas


def test_no_account_means_no_patient(nora, ayse, clinic_b):
    assert access.account_for(None) is None
    assert access.account_for(AnonymousUser()) is None
    assert access.patient_of(None) is None
    assert access.patient_of(personas.actor(nora)) is None  # staff act for no patient
    no_account = personas.make_user("stray", nora.membership.clinic, "patient")
    assert access.patient_of(personas.actor(no_account)) is None
    elsewhere = Actor(ayse, clinic_b, "patient")  # a patient actor in another clinic
    assert access.patient_of(elsewhere) is None
    assert access.patient_of(personas.actor(ayse)).given_name == "Ayşe"


def test_an_empty_or_overlong_secret_is_no_invitation(db):
    assert access.invitation_for("") is None
    assert access.invitation_for("x" * 201) is None


def test_the_portal_status_of_another_clinics_patient_is_not_found(patient, charlie):
    with pytest.raises(Http404):
        access.portal_status(personas.actor(charlie), patient)


def test_an_appointment_without_a_plan_moves_within_four_weeks(patient, adam, frank):
    from mesoclinic.scheduling.actions import book_appointment

    practitioner, room = journeys.scheduling_setup(adam)
    start = dt.datetime(2026, 12, 20, 9, 0, tzinfo=dt.UTC)
    appointment = book_appointment(
        personas.actor(frank),
        patient,
        protocol="face-mesolift",
        start=start,
        practitioner=practitioner,
        room=room,
    )
    today = dt.date(2026, 12, 2)
    assert scheduling_access.change_window(appointment, today) == (
        dt.date(2026, 12, 3),
        dt.date(2027, 1, 17),
    )
