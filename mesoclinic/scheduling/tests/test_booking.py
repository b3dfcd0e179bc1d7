"""Booking a whole plan, single appointments, reschedule and cancel, the waiting list."""

import datetime as dt

import pytest

from mesoclinic.audit.models import AuditEvent
from mesoclinic.outbox.models import Message
from mesoclinic.scheduling import actions, resources, waitlist
from mesoclinic.scheduling.availability import session_minutes
from mesoclinic.scheduling.models import Appointment, Kind, Status, WaitStatus
from mesoclinic.scheduling.tests.conftest import TODAY, ZONE, at
from tests.support import personas

pytestmark = pytest.mark.django_db


def test_session_length_comes_from_the_protocol_plus_the_cream_lead_time():
    # face mesolift: 15 minutes; the cream's usual lead time is 40 minutes
    assert session_minutes("face-mesolift", False) == 15
    assert session_minutes("face-mesolift", True) == 60  # 55, on the 15-minute grid


def test_a_whole_plan_is_booked_in_one_step_inside_its_windows(
    clinic_setup, make_plan, patient, frank
):
    plan = make_plan(patient)
    booked = actions.book_plan(
        personas.actor(frank), plan, first_date=TODAY, preferred_time=dt.time(10, 0)
    )
    assert [a.session_number for a in booked] == [1, 2, 3, 4]
    days = [a.start.astimezone(ZONE).date() for a in booked]
    assert days[0] == TODAY
    for before, after in zip(days, days[1:], strict=False):
        assert plan.interval_min <= (after - before).days <= plan.interval_max
    assert all(a.start.astimezone(ZONE).time() == dt.time(10, 0) for a in booked)
    # the same practitioner for the whole series, in a room that suits the protocol
    assert len({a.practitioner_id for a in booked}) == 1
    assert all(a.end - a.start == dt.timedelta(minutes=60) for a in booked)
    assert AuditEvent.objects.filter(action="create", object_type="TreatmentPlan").exists()
    with pytest.raises(actions.Refused, match="already booked"):
        actions.book_plan(personas.actor(frank), plan, first_date=TODAY, preferred_time=dt.time(10))


def test_a_taken_slot_gives_the_nearest_free_one_and_alternatives(
    clinic_setup, make_plan, patient, frank, alice
):
    other = personas.make_patient(personas.actor(alice), given="Can", family="Kurt")
    # both practitioners and both rooms are busy at 10:00 today
    for who, room in (("alice", "room1"), ("nora", "room2")):
        actions.book_appointment(
            personas.actor(frank),
            other if who == "alice" else personas.make_patient(personas.actor(alice), given=who),
            protocol="face-mesolift",
            start=at(TODAY, "10:00"),
            practitioner=clinic_setup[who],
            room=clinic_setup[room],
            cream_in_clinic=True,  # 10:00-11:00
        )
    from mesoclinic.scheduling.proposals import propose

    plan = make_plan(patient)
    found = propose(
        plan, first_date=TODAY, preferred_time=dt.time(10, 0), minutes=60, alternatives=3
    )
    first = found[0]
    assert first.wanted_taken
    assert first.choice.start == at(TODAY, "09:00")  # as near as 11:00, and earlier
    assert len(first.alternatives) == 3
    assert all(c.start != at(TODAY, "10:00") for c in [first.choice, *first.alternatives])
    # a later session keeps its own window, counted from the session before it
    assert found[1].earliest == first.choice.start.astimezone(ZONE).date() + dt.timedelta(
        days=plan.interval_min
    )


def test_booking_a_taken_slot_is_refused_with_alternatives(clinic_setup, patient, frank, alice):
    act = personas.actor(frank)
    slot = dict(
        protocol="face-mesolift",
        start=at(TODAY, "10:00"),
        practitioner=clinic_setup["nora"],
        room=clinic_setup["room2"],
    )
    actions.book_appointment(act, patient, **slot)
    someone = personas.make_patient(personas.actor(alice), given="Deniz", family="Koç")
    with pytest.raises(actions.SlotTaken, match="already booked") as exc:
        actions.book_appointment(act, someone, **slot)
    assert exc.value.alternatives
    assert all(c.start != at(TODAY, "10:00") for c in exc.value.alternatives)
    assert Appointment.objects.filter(status=Status.BOOKED).count() == 1


@pytest.mark.parametrize(
    ("start", "who", "room", "message"),
    [
        ("08:00", "nora", "room2", "closed"),
        ("17:30", "alice", "room1", "does not work"),
        ("10:00", "nora", "room1", None),
    ],
)
def test_opening_and_working_hours_are_respected(
    clinic_setup, patient, frank, start, who, room, message
):
    call = lambda: actions.book_appointment(  # noqa: E731
        personas.actor(frank),
        patient,
        protocol="face-mesolift",
        start=at(TODAY, start),
        practitioner=clinic_setup[who],
        room=clinic_setup[room],
    )
    if message:
        with pytest.raises(actions.SlotTaken, match=message):
            call()
    else:
        assert call().is_booked


def test_absences_rooms_and_protocols_are_respected(clinic_setup, patient, frank, adam):
    resources.add_absence(
        personas.actor(adam),
        clinic_setup["nora"],
        start=at(TODAY, "12:00"),
        end=at(TODAY, "14:00"),
        reason="training",
    )
    act = personas.actor(frank)
    with pytest.raises(actions.SlotTaken, match="away"):
        actions.book_appointment(
            act,
            patient,
            protocol="face-mesolift",
            start=at(TODAY, "13:00"),
            practitioner=clinic_setup["nora"],
            room=clinic_setup["room1"],
        )
    with pytest.raises(actions.SlotTaken, match="not set up"):  # room 2 does not suit hair
        actions.book_appointment(
            act,
            patient,
            protocol="prp",
            start=at(TODAY, "15:00"),
            practitioner=clinic_setup["alice"],
            room=clinic_setup["room2"],
        )


def test_the_patient_cannot_be_in_two_places(clinic_setup, patient, frank):
    act = personas.actor(frank)
    actions.book_appointment(
        act,
        patient,
        protocol="face-mesolift",
        start=at(TODAY, "10:00"),
        practitioner=clinic_setup["nora"],
        room=clinic_setup["room2"],
    )
    with pytest.raises(actions.SlotTaken, match="patient already has"):
        actions.book_appointment(
            act,
            patient,
            protocol="face-mesolift",
            start=at(TODAY, "10:00"),
            practitioner=clinic_setup["alice"],
            room=clinic_setup["room1"],
        )


def test_the_booking_check_runs_inside_one_serialised_transaction(
    clinic_setup, patient, frank, alice, django_assert_num_queries
):
    """SQLite: the booking transaction starts with BEGIN IMMEDIATE (settings), so the clash
    check and the insert hold the write lock together; a second booking of the slot, even
    from a stale view of the schedule, sees the first and is refused."""
    from django.db import connection

    if connection.vendor == "sqlite":
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    act = personas.actor(frank)
    slot = dict(
        protocol="face-mesolift",
        start=at(TODAY, "11:00"),
        practitioner=clinic_setup["alice"],
        room=clinic_setup["room1"],
    )
    people = [personas.make_patient(personas.actor(alice), given=f"P{i}") for i in range(5)]
    outcomes = []
    for person in people:
        try:
            actions.book_appointment(act, person, **slot)
            outcomes.append("ok")
        except actions.SlotTaken:
            outcomes.append("taken")
    assert outcomes == ["ok", "taken", "taken", "taken", "taken"]


def test_moving_a_session_recomputes_later_windows_and_flags_those_outside(
    clinic_setup, make_plan, reachable_patient, frank
):
    plan = make_plan(reachable_patient)
    act = personas.actor(frank)
    booked = actions.book_plan(act, plan, first_date=TODAY, preferred_time=dt.time(10))
    second = booked[1]
    third = booked[2]
    # session 2 moves 6 days later: session 3 (14 days after the old date) is now too early
    new_start = second.start + dt.timedelta(days=6)
    moved = actions.reschedule(act, second, start=new_start)
    assert moved.appointment.start == new_start
    assert [a.pk for a in moved.flagged] == [third.pk]
    third.refresh_from_db()
    assert third.outside_window
    # the old reminders of session 2 are cancelled, new ones planned for the new time
    old = Message.objects.filter(appointment=second, status="cancelled")
    new = Message.objects.filter(appointment=second, status="pending")
    assert old.exists() and new.exists()
    # moving session 3 back into its window clears its flag; now session 4 is too early
    fixed = actions.reschedule(act, third, start=third.start + dt.timedelta(days=6))
    assert [a.pk for a in fixed.flagged] == [booked[3].pk]
    third.refresh_from_db()
    assert not third.outside_window


def test_a_cancelled_slot_is_offered_to_the_waiting_list(
    clinic_setup, patient, reachable_patient, frank, alice
):
    act = personas.actor(frank)
    appointment = actions.book_appointment(
        act,
        patient,
        protocol="face-mesolift",
        start=at(TODAY + dt.timedelta(days=2), "10:00"),
        practitioner=clinic_setup["nora"],
        room=clinic_setup["room2"],
    )
    too_late = waitlist.add_to_waiting_list(
        act,
        personas.make_patient(personas.actor(alice), given="Late"),
        protocol="face-mesolift",
        earliest=TODAY + dt.timedelta(days=10),
        latest=TODAY + dt.timedelta(days=20),
    )
    wants = waitlist.add_to_waiting_list(
        act,
        reachable_patient,
        protocol="face-mesolift",
        earliest=TODAY,
        latest=TODAY + dt.timedelta(days=7),
    )
    offered = actions.cancel(act, appointment, reason="patient ill")
    assert offered.pk == wants.pk
    wants.refresh_from_db()
    too_late.refresh_from_db()
    assert wants.status == WaitStatus.OFFERED and too_late.status == WaitStatus.WAITING
    offers = Message.objects.filter(kind=Kind.OFFER, patient=reachable_patient)
    assert sorted(offers.values_list("channel", flat=True)) == ["email", "sms"]
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED
    assert not Message.objects.filter(appointment=appointment, status="pending").exists()
    # the front desk books the offered slot for the waiting patient
    taken = waitlist.book_offer(act, wants)
    assert taken.patient_id == reachable_patient.pk and taken.start == appointment.start
    wants.refresh_from_db()
    assert wants.status == WaitStatus.BOOKED


def test_attendance_starts_followups_and_the_last_session_the_recall(
    clinic_setup, make_plan, reachable_patient, frank, time_machine
):
    from mesoclinic.engine.knowledge import load

    plan = make_plan(reachable_patient)
    act = personas.actor(frank)
    booked = actions.book_plan(act, plan, first_date=TODAY, preferred_time=dt.time(10))
    with pytest.raises(actions.Refused, match="still to come"):
        actions.mark_attendance(act, booked[0], Status.DONE)
    time_machine.move_to(booked[-1].end + dt.timedelta(hours=1), tick=False)
    for a in booked:
        actions.mark_attendance(act, a, Status.DONE)
    days = load().protocols["face-mesolift"].checkins.days
    last = Message.objects.filter(kind=Kind.FOLLOWUP, appointment=booked[-1], channel="email")
    assert sorted(m.params["day"] for m in last) == days
    recall = Message.objects.get(kind=Kind.RECALL, channel="email")
    assert recall.due_at.astimezone(ZONE).date() == booked[-1].start.astimezone(
        ZONE
    ).date() + dt.timedelta(days=plan.maintenance_min)
