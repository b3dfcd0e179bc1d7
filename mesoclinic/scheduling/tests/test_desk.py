"""The front desk's home: today's arrivals on the clinic's clock, check-in / into the room
/ done / did not come as audited actions, who is in which room, the session performed,
and the tasks. The front desk lands here after signing in."""

import datetime as dt

import pytest
from django.urls import reverse

from mesoclinic.audit.models import AuditEvent
from mesoclinic.scheduling import actions
from mesoclinic.scheduling.models import Status
from mesoclinic.scheduling.tests.conftest import TODAY, ZONE, at
from tests.support import personas

pytestmark = pytest.mark.django_db


def _book(clinic_setup, frank, patient, day, hhmm, room="room2"):
    return actions.book_appointment(
        personas.actor(frank),
        patient,
        protocol="face-mesolift",
        start=at(day, hhmm),
        practitioner=clinic_setup["nora"],
        room=clinic_setup[room],
    )


def test_the_front_desk_lands_on_its_home_after_signing_in(client, frank):
    page = client.post(
        reverse("accounts:login"), {"username": "frank", "password": personas.PASSWORD}
    )
    assert page.status_code == 302 and page.url == reverse("scheduling:desk")


def test_todays_arrivals_in_the_clinics_zone_and_the_tasks(
    clinic_setup, patient, alice, frank, login, time_machine
):
    # 23:30 UTC on 30 November is already 1 December in Istanbul: "today" is the clinic's
    time_machine.move_to(dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC), tick=False)
    later = personas.make_patient(personas.actor(alice), given="Deniz", family="Kaya")
    a = _book(clinic_setup, frank, patient, TODAY, "10:00")
    _book(clinic_setup, frank, later, TODAY + dt.timedelta(days=3), "11:00")
    page = login(frank).get(reverse("scheduling:desk"))
    assert page.status_code == 200
    arrivals = page.text[page.text.index('id="h-arrivals"') : page.text.index('id="h-rooms"')]
    assert patient.full_name in arrivals and later.full_name not in arrivals
    assert f"/scheduling/appointments/{a.code}/arrival" in arrivals
    tasks = page.text[page.text.index('id="h-tasks"') :]
    # neither has a medical history: both are tasks, with the phone intake for the desk
    assert patient.full_name in tasks and later.full_name in tasks
    assert reverse("patients:intake", args=[later.code]) in tasks
    assert "Unacknowledged alerts" not in page.text  # not for the front desk's eyes
    assert AuditEvent.objects.filter(summary__startswith="front desk 2026-12-01").exists()


def test_check_in_then_into_the_room_then_done_each_audited(
    clinic_setup, patient, frank, login, time_machine
):
    a = _book(clinic_setup, frank, patient, TODAY, "10:00")
    client = login(frank)
    url = reverse("scheduling:arrival", args=[a.code])
    assert client.post(url, {"step": "arrived"}).status_code == 302
    a.refresh_from_db()
    assert a.arrived_at is not None and a.in_room_at is None
    again = client.post(url, {"step": "arrived"}, follow=True)
    assert "already checked in" in again.text
    client.post(url, {"step": "in_room"})
    page = client.get(reverse("scheduling:desk"))
    rooms = page.text[page.text.index('id="h-rooms"') : page.text.index('id="h-tasks"')]
    assert "Room 2" in rooms and patient.full_name in rooms
    # done only once the appointment has begun
    early = client.post(url, {"step": "done"}, follow=True)
    assert "still to come" in early.text
    time_machine.move_to(dt.datetime(2026, 12, 1, 10, 30, tzinfo=ZONE), tick=False)
    client = login(frank)  # a new sign-in: the session ends after inactivity
    assert client.post(url, {"step": "done"}).status_code == 302
    a.refresh_from_db()
    assert a.status == Status.DONE
    summaries = list(AuditEvent.objects.values_list("summary", flat=True))
    assert any("front desk: arrived" in s for s in summaries)
    assert any("front desk: in_room" in s for s in summaries)
    assert any("attendance: done" in s for s in summaries)


def test_only_todays_booked_patients_can_be_checked_in(clinic_setup, patient, frank, login):
    a = _book(clinic_setup, frank, patient, TODAY + dt.timedelta(days=1), "10:00")
    page = login(frank).post(
        reverse("scheduling:arrival", args=[a.code]), {"step": "arrived"}, follow=True
    )
    assert "Only today" in page.text
    a.refresh_from_db()
    assert a.arrived_at is None


def test_the_session_performed_is_shown_with_its_appointment(
    clinic_setup, make_plan, patient, frank, alice, login, time_machine
):
    from mesoclinic.treatments.models import TreatmentSession

    plan = make_plan(patient)
    booked = actions.book_plan(
        personas.actor(frank), plan, first_date=TODAY, preferred_time=dt.time(9)
    )
    time_machine.move_to(dt.datetime(2026, 12, 1, 10, 0, tzinfo=ZONE), tick=False)
    client = login(frank)
    page = client.get(reverse("scheduling:desk"))
    assert "Did not come" in page.text and "Session 1:" not in page.text
    TreatmentSession.objects.create(  # started by the nurse (the gate has its own tests)
        plan=plan, patient=patient, number=1, protocol=plan.protocol, started_at=booked[0].start
    )
    page = client.get(reverse("scheduling:desk"))
    assert "Session 1: In progress" in page.text
    assert "/treatments/sessions/" not in page.text  # the front desk sees its state, not it
    page = login(alice).get(reverse("scheduling:desk"))
    assert "/treatments/sessions/" in page.text


def test_another_clinic_sees_none_of_it(clinic_setup, patient, frank, charlie, login):
    a = _book(clinic_setup, frank, patient, TODAY, "10:00")
    client = login(charlie)
    assert patient.full_name not in client.get(reverse("scheduling:desk")).text
    assert (
        client.post(reverse("scheduling:arrival", args=[a.code]), {"step": "arrived"}).status_code
        == 404
    )
