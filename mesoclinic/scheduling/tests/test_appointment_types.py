"""Appointment types: each has its own length, and only treatment visits get preparation
advice (a consultation gets reminders without instructions)."""

import datetime as dt

import pytest

from mesoclinic.outbox.models import Message
from mesoclinic.scheduling import actions, appointment_types
from mesoclinic.scheduling.models import AppointmentType, Kind
from mesoclinic.scheduling.tests.conftest import TODAY, at
from tests.support import personas

pytestmark = pytest.mark.django_db


def _book(clinic_setup, frank, patient, kind, day=None, hhmm="10:00"):
    return actions.book_appointment(
        personas.actor(frank),
        patient,
        protocol="face-mesolift",
        start=at(day or TODAY + dt.timedelta(days=20), hhmm),
        practitioner=clinic_setup["nora"],
        room=clinic_setup["room2"],
        appointment_type=kind,
    )


def test_each_type_books_its_own_length(clinic_setup, patient, frank):
    lengths = {}
    for i, kind in enumerate(AppointmentType.values):
        a = _book(clinic_setup, frank, patient, kind, hhmm=f"{10 + 2 * i}:00")
        assert a.appointment_type == kind
        lengths[kind] = int((a.end - a.start).total_seconds() // 60)
    assert lengths[AppointmentType.CONSULTATION] == 30
    assert lengths[AppointmentType.REVIEW] == 15
    assert lengths[AppointmentType.TREATMENT] == appointment_types.minutes(
        AppointmentType.TREATMENT, "face-mesolift"
    )


def test_a_consultation_gets_reminders_but_no_preparation_advice(
    clinic_setup, reachable_patient, frank
):
    from mesoclinic.scheduling.texts import render

    a = _book(clinic_setup, frank, reachable_patient, AppointmentType.CONSULTATION)
    kinds = set(Message.objects.filter(appointment=a).values_list("kind", flat=True))
    assert kinds == {Kind.REMINDER}
    reminder = Message.objects.filter(appointment=a, channel="email").first()
    _subject, body = render(reminder)
    assert "How to prepare" not in body
    treatment = _book(
        clinic_setup, frank, reachable_patient, AppointmentType.TREATMENT, hhmm="14:00"
    )
    assert Kind.PREPARE in set(
        Message.objects.filter(appointment=treatment).values_list("kind", flat=True)
    )


def test_an_unknown_type_is_refused_and_nothing_is_booked(clinic_setup, patient, frank):
    from mesoclinic.scheduling.models import Appointment

    with pytest.raises(actions.Refused):
        _book(clinic_setup, frank, patient, "massage")
    assert not Appointment.objects.exists()


def test_the_portal_preparation_list_is_empty_before_a_consultation(clinic_setup, patient, frank):
    from mesoclinic.scheduling.texts import preparation

    consultation = _book(clinic_setup, frank, patient, AppointmentType.CONSULTATION)
    treatment = _book(clinic_setup, frank, patient, AppointmentType.TREATMENT, hhmm="14:00")
    assert preparation(consultation, "en") == []
    assert preparation(treatment, "en") != []
