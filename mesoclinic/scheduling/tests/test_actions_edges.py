"""Booking refusals: another clinic's patient or resources, a plan that is not active, a
first day in the past, and appointments that are no longer booked. Nothing is written."""

import datetime as dt

import pytest

from mesoclinic.accounts.actor import Actor
from mesoclinic.audit.models import AuditEvent
from mesoclinic.scheduling import actions, resources
from mesoclinic.scheduling.models import Appointment, Status
from mesoclinic.scheduling.tests.conftest import NOW, TODAY, at
from mesoclinic.treatments.models import TreatmentPlan
from tests.support import personas


def _book(frank, patient, clinic_setup, start="10:00", **kw):
    return actions.book_appointment(
        personas.actor(frank),
        patient,
        protocol="face-mesolift",
        start=at(TODAY, start),
        practitioner=clinic_setup["nora"],
        room=clinic_setup["room2"],
        **kw,
    )


def test_another_clinics_patient_or_room_cannot_be_booked(clinic_setup, frank, charlie, patient):
    stranger = personas.make_patient(personas.actor(charlie), given="Other", family="Clinic")
    room_b = resources.save_room(
        Actor.system(charlie.membership.clinic),
        name="B room",
        protocols=["face-mesolift"],
    )
    with pytest.raises(actions.Refused, match="another clinic"):
        _book(frank, stranger, clinic_setup)
    with pytest.raises(actions.Refused, match="another clinic"):
        actions.book_appointment(
            personas.actor(frank),
            patient,
            protocol="face-mesolift",
            start=at(TODAY, "10:00"),
            practitioner=clinic_setup["nora"],
            room=room_b,
        )
    assert not Appointment.objects.exists()


def test_a_plan_is_booked_only_while_active_and_from_today(clinic_setup, make_plan, patient, frank):
    plan = make_plan(patient)
    act = personas.actor(frank)
    with pytest.raises(actions.Refused) as err:
        actions.book_plan(
            act, plan, first_date=TODAY - dt.timedelta(days=1), preferred_time=dt.time(10)
        )
    assert "first_date" in err.value.message_dict
    TreatmentPlan.objects.filter(pk=plan.pk).update(status="completed")
    plan.refresh_from_db()
    with pytest.raises(actions.Refused, match="nothing to book"):
        actions.book_plan(act, plan, first_date=TODAY, preferred_time=dt.time(10))
    assert not Appointment.objects.exists()


def test_a_cancelled_appointment_cannot_be_moved_cancelled_or_marked(clinic_setup, patient, frank):
    act = personas.actor(frank)
    appointment = _book(frank, patient, clinic_setup)
    actions.cancel(act, appointment, reason="The patient is ill")
    with pytest.raises(actions.Refused, match="Only a booked appointment can be moved"):
        actions.reschedule(act, appointment, start=at(TODAY, "12:00"))
    with pytest.raises(actions.Refused, match="Only a booked appointment can be cancelled"):
        actions.cancel(act, appointment)
    with pytest.raises(actions.Refused, match="no longer booked"):
        actions.mark_attendance(act, appointment, Status.DONE)
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED and appointment.start == at(TODAY, "10:00")
    assert AuditEvent.objects.filter(action="cancel").count() == 1


def test_attendance_is_done_or_no_show_and_never_ahead_of_time(
    clinic_setup, patient, frank, time_machine
):
    act = personas.actor(frank)
    appointment = _book(frank, patient, clinic_setup)
    with pytest.raises(actions.Refused, match="done or not attended"):
        actions.mark_attendance(act, appointment, "maybe")
    with pytest.raises(actions.Refused, match="still to come"):
        actions.mark_attendance(act, appointment, Status.NO_SHOW)
    time_machine.move_to(NOW + dt.timedelta(hours=4), tick=False)
    marked = actions.mark_attendance(act, appointment, Status.NO_SHOW)
    assert marked.status == Status.NO_SHOW
    assert AuditEvent.objects.filter(summary="attendance: no_show").count() == 1


def test_a_fully_booked_plan_and_a_chosen_day_outside_the_window_are_refused(
    clinic_setup, make_plan, patient, frank
):
    from mesoclinic.scheduling.proposals import propose

    plan = make_plan(patient)
    act = personas.actor(frank)
    found = propose(plan, first_date=TODAY, preferred_time=dt.time(10), minutes=60)
    too_late = found[0].choice.start + dt.timedelta(days=60)  # far outside session 1's window
    forged = {1: f"{int(too_late.timestamp())}|{found[0].choice.practitioner.code}|"
              f"{found[0].choice.room.code}"}  # fmt: skip
    with pytest.raises(actions.SlotTaken, match="outside this session's window") as err:
        actions.book_plan(act, plan, first_date=TODAY, preferred_time=dt.time(10), chosen=forged)
    assert err.value.alternatives
    assert not Appointment.objects.exists()
    actions.book_plan(act, plan, first_date=TODAY, preferred_time=dt.time(10))
    with pytest.raises(actions.Refused, match="Every session of this plan is already booked"):
        actions.book_plan(act, plan, first_date=TODAY, preferred_time=dt.time(10))


def test_the_first_remaining_session_is_never_flagged_outside_its_window(
    clinic_setup, make_plan, patient, frank
):
    plan = make_plan(patient)
    act = personas.actor(frank)
    first, second, *_rest = actions.book_plan(
        act, plan, first_date=TODAY, preferred_time=dt.time(10)
    )
    moved = actions.reschedule(act, second, start=second.start + dt.timedelta(days=30))
    assert moved.flagged and moved.flagged[0].pk == second.pk
    second.refresh_from_db()
    assert second.outside_window
    actions.cancel(act, first, reason="The patient moved the series")
    second.refresh_from_db()
    assert not second.outside_window  # now the first session: no window to keep


def test_a_session_of_a_plan_is_booked_once(clinic_setup, make_plan, patient, frank):
    """The database keeps one booked appointment per session of a plan: a second booking of
    session 1 at another free time is refused and nothing is written."""
    plan = make_plan(patient)
    act = personas.actor(frank)
    slot = dict(protocol=plan.protocol, practitioner=clinic_setup["nora"], plan=plan)
    actions.book_appointment(
        act, patient, start=at(TODAY, "10:00"), room=clinic_setup["room2"], session_number=1, **slot
    )
    with pytest.raises(actions.SlotTaken):
        actions.book_appointment(
            act,
            patient,
            start=at(TODAY + dt.timedelta(days=1), "14:00"),
            room=clinic_setup["room1"],
            session_number=1,
            **slot,
        )
    assert Appointment.objects.filter(plan=plan).count() == 1
