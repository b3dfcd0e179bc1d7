"""A visit is booked at most about two years ahead (lib/dates.py): a booking in 2099 is a
typing slip, refused with the latest date allowed."""

import datetime as dt

import pytest

from mesoclinic.scheduling import actions
from mesoclinic.scheduling.models import Appointment
from mesoclinic.scheduling.tests.conftest import TODAY, at
from tests.support import personas

pytestmark = pytest.mark.django_db


def test_a_booking_years_ahead_is_refused(clinic_setup, patient, frank):
    slot = dict(
        protocol="face-mesolift", practitioner=clinic_setup["nora"], room=clinic_setup["room2"]
    )
    act = personas.actor(frank)
    with pytest.raises(actions.Refused) as refused:
        actions.book_appointment(act, patient, start=at(dt.date(2099, 3, 2), "10:00"), **slot)
    assert "more than two years ahead" in refused.value.message_dict["start"][0]
    assert not Appointment.objects.exists()
    actions.book_appointment(act, patient, start=at(TODAY + dt.timedelta(days=7), "10:00"), **slot)
    assert Appointment.objects.count() == 1
