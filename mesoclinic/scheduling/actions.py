"""Every write of the schedule: one transaction, an audit entry, and the messages the
change calls for (sent by tasks enqueued after the commit).

No double booking: the clash check runs inside the booking transaction. On SQLite that
transaction holds the write lock from its first statement (IMMEDIATE mode), so bookings
are serialised; on PostgreSQL two transactions may both pass the check, and the exclusion
constraints refuse the second insert, which is reported as a taken slot.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from mesoclinic.accounts.actor import Actor
from mesoclinic.audit.actions import record
from mesoclinic.lib import clinicday, dates
from mesoclinic.lib.refusals import Refused

from . import appointment_types, availability, proposals, reminders
from .models import (
    Appointment,
    AppointmentType,
    Practitioner,
    Room,
    Status,
    WaitingListEntry,
)
from .slots import epoch


class SlotTaken(Refused):
    """The slot is not free. `alternatives` are the nearest free ones (proposals.Choice)."""

    def __init__(self, message, alternatives=()):
        super().__init__(message)
        self.alternatives = list(alternatives)


class _Conflict(Exception):
    """The database refused an overlapping or duplicate booking."""


def _insert(**fields) -> Appointment:
    try:
        with transaction.atomic():  # a savepoint, so the refusal can be reported
            return Appointment.objects.create(**fields)
    except IntegrityError as exc:
        raise _Conflict(str(exc)) from exc


def _lock(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("patient", "practitioner", "room", "plan", "clinic")
        .get(pk=appointment.pk)
    )


def _own(actor: Actor, *objs) -> None:
    for obj in objs:
        clinic_id = getattr(obj, "clinic_id", None)
        if obj is not None and clinic_id is not None and clinic_id != actor.clinic.pk:
            raise Refused(_("That belongs to another clinic."))


def book_plan(
    actor: Actor,
    plan,
    *,
    first_date: dt.date,
    preferred_time: dt.time,
    practitioner: Practitioner | None = None,
    cream_in_clinic: bool = True,
    chosen: dict[int, str] | None = None,
) -> list[Appointment]:
    """Book every session of the plan still unbooked, in one transaction: all or none.
    A race lost to another booking is retried once with fresh data, unless the slots
    were chosen by hand (then the caller gets the alternatives)."""
    actor.require("book_appointments")
    _own(actor, plan.patient, practitioner)
    if plan.status != "active":  # treatments.models.PlanStatus.ACTIVE
        raise Refused(_("This plan is completed or stopped: nothing to book."))
    if first_date < clinicday.today(actor.clinic):
        raise Refused({"first_date": _("Choose today or a later day.")})
    for attempt in (1, 2):
        try:
            return _book_plan_once(
                actor, plan, first_date, preferred_time, practitioner, cream_in_clinic, chosen
            )
        except _Conflict:
            if chosen or attempt == 2:
                raise SlotTaken(
                    _("Someone booked one of these slots a moment ago: please choose again.")
                ) from None
    raise AssertionError("unreachable")  # pragma: no cover


def no_slot_message(number: int, earliest: dt.date, latest: dt.date) -> str:
    """Why a session found no slot; a one-day window reads as one date."""
    a, b = formats.date_format(earliest, "DATE_FORMAT"), formats.date_format(latest, "DATE_FORMAT")
    if earliest == latest:
        return _("No free slot for session %(n)s on %(a)s.") % {"n": number, "a": a}
    return _("No free slot for session %(n)s between %(a)s and %(b)s.") % {
        "n": number,
        "a": a,
        "b": b,
    }


@transaction.atomic
def _book_plan_once(actor, plan, first_date, preferred_time, practitioner, cream, chosen):
    cream = cream and availability.cream_possible(plan.protocol)
    minutes = availability.session_minutes(plan.protocol, cream)
    found = proposals.propose(
        plan,
        first_date=first_date,
        preferred_time=preferred_time,
        minutes=minutes,
        practitioner=practitioner,
        chosen=chosen,
        alternatives=3 if chosen else 0,  # only a refused hand-picked slot needs them
    )
    if not found:
        raise Refused(_("Every session of this plan is already booked."))
    for p in found:
        if p.problem:
            raise SlotTaken(
                _("Session %(n)s: %(why)s") % {"n": p.number, "why": p.problem}, p.alternatives
            )
    missing = [p for p in found if p.choice is None]
    if missing:
        first = missing[0]
        raise Refused(no_slot_message(first.number, first.earliest, first.latest))
    rows = [
        Appointment(
            clinic=actor.clinic,
            patient=plan.patient,
            plan=plan,
            session_number=p.number,
            protocol=plan.protocol,
            appointment_type=AppointmentType.TREATMENT,
            practitioner=p.choice.practitioner,
            room=p.choice.room,
            start=p.choice.start,
            end=p.choice.end,
            cream_in_clinic=cream,
            created_by=actor.user,
        )
        for p in found
    ]
    try:
        with transaction.atomic():  # a savepoint, so the refusal can be reported
            booked = Appointment.objects.bulk_create(rows)
    except IntegrityError as exc:
        raise _Conflict(str(exc)) from exc
    reminders.for_appointments(booked)
    record(
        actor,
        "create",
        plan,
        patient=plan.patient,
        summary=f"booked sessions {found[0].number}-{found[-1].number}",
        detail={"appointments": [str(a.code) for a in booked]},
    )
    return booked


def alternatives_near(
    actor, patient, protocol, start, minutes, *, practitioner=None, exclude=None, count=5
):
    """The nearest free slots within three days of `start` (same practitioner if given)."""
    zone = clinicday.zone(actor.clinic)
    day = clinicday.local_date(start, zone)
    first = max(day - dt.timedelta(days=3), clinicday.today(zone))
    ctx = availability.build(
        actor.clinic,
        protocol,
        patient,
        first,
        day + dt.timedelta(days=3),
        practitioner=practitioner,
        exclude=exclude,
    )
    slots = ctx.finder.search(
        first,
        day + dt.timedelta(days=3),
        day,
        minutes,
        clinicday.local(start, zone).time(),
        None,
        2,
    )
    return [proposals.choice_of(ctx, s) for _i, s in zip(range(count), slots, strict=False)]


def _check_slot(actor, patient, protocol, start, end, practitioner, room, exclude=None):
    """Refuse unless [start, end) is free and allowed for all three; run inside the
    booking transaction."""
    day = clinicday.local_date(start, actor.clinic)
    too_far = dates.booking_error(day, clinicday.today(actor.clinic))
    if too_far:
        raise Refused({"start": too_far})
    ctx = availability.build(
        actor.clinic,
        protocol,
        patient,
        day,
        day,
        practitioner=practitioner,
        room=room,
        exclude=exclude,
    )
    code = ctx.finder.reason(epoch(start), epoch(end), day, practitioner.pk, room.pk)
    if code:
        minutes = int((end - start).total_seconds() // 60)
        raise SlotTaken(
            proposals.REASONS[code](),
            alternatives_near(
                actor,
                patient,
                protocol,
                start,
                minutes,
                practitioner=practitioner,
                exclude=exclude,
            ),
        )


@transaction.atomic
def book_appointment(
    actor: Actor,
    patient,
    *,
    protocol: str,
    start: dt.datetime,
    practitioner: Practitioner,
    room: Room,
    cream_in_clinic: bool = False,
    plan=None,
    session_number: int | None = None,
    appointment_type: str = AppointmentType.TREATMENT,
) -> Appointment:
    """Book one appointment at exactly this time, or refuse with the nearest alternatives.
    Its length comes from its type (appointment_types.py)."""
    actor.require("book_appointments")
    _own(actor, patient, practitioner, room)
    if appointment_type not in AppointmentType.values:
        raise Refused({"appointment_type": _("Choose the type of appointment.")})
    rule = appointment_types.rule(appointment_type)
    cream = cream_in_clinic and rule.cream and availability.cream_possible(protocol)
    end = start + dt.timedelta(minutes=appointment_types.minutes(appointment_type, protocol, cream))
    _check_slot(actor, patient, protocol, start, end, practitioner, room)
    try:
        appointment = _insert(
            clinic=actor.clinic,
            patient=patient,
            plan=plan,
            session_number=session_number,
            protocol=protocol,
            appointment_type=appointment_type,
            practitioner=practitioner,
            room=room,
            start=start,
            end=end,
            cream_in_clinic=cream,
            created_by=actor.user,
        )
    except _Conflict:
        raise SlotTaken(_("Someone booked this slot a moment ago.")) from None
    reminders.for_appointments([appointment])
    record(
        actor,
        "create",
        appointment,
        patient=patient,
        summary=f"{appointment_type} {protocol} {start:%Y-%m-%d %H:%M}",
    )
    return appointment


@dataclass
class Moved:
    appointment: Appointment
    flagged: list[Appointment]  # later sessions now outside their window


def recheck_windows(plan) -> list[Appointment]:
    """Each session's window counts from the session before it; flag those outside."""
    if plan is None:
        return []
    zone = clinicday.zone(plan.patient.clinic)
    live = list(
        Appointment.objects.filter(plan=plan, status__in=[Status.BOOKED, Status.DONE]).order_by(
            "session_number"
        )
    )
    flagged = []
    for prev, cur in zip(live, live[1:], strict=False):
        day = clinicday.local_date(prev.start, zone)
        lo, hi = (
            day + dt.timedelta(days=plan.interval_min),
            day + dt.timedelta(days=plan.interval_max),
        )
        outside = not lo <= clinicday.local_date(cur.start, zone) <= hi
        if outside != cur.outside_window:
            cur.outside_window = outside
            cur.save(update_fields=["outside_window", "updated_at"])
        if outside:
            flagged.append(cur)
    if live and live[0].outside_window:
        live[0].outside_window = False
        live[0].save(update_fields=["outside_window", "updated_at"])
    return flagged


@transaction.atomic
def reschedule(
    actor: Actor,
    appointment: Appointment,
    *,
    start: dt.datetime,
    practitioner: Practitioner | None = None,
    room: Room | None = None,
) -> Moved:
    actor.require("book_appointments")
    a = _lock(appointment)
    _own(actor, a, practitioner, room)
    if a.status != Status.BOOKED:
        raise Refused(_("Only a booked appointment can be moved."))
    practitioner, room = practitioner or a.practitioner, room or a.room
    end = start + (a.end - a.start)
    _check_slot(actor, a.patient, a.protocol, start, end, practitioner, room, exclude=a)
    before = a.start
    reminders.cancel_pending(a)
    a.start, a.end, a.practitioner, a.room = start, end, practitioner, room
    try:
        with transaction.atomic():
            a.save(update_fields=["start", "end", "practitioner", "room", "updated_at"])
    except IntegrityError:
        raise SlotTaken(_("Someone booked this slot a moment ago.")) from None
    reminders.for_appointments([a])
    flagged = recheck_windows(a.plan)
    record(
        actor,
        "update",
        a,
        patient=a.patient,
        summary=f"moved from {before:%Y-%m-%d %H:%M}",
        detail={"flagged": [str(f.code) for f in flagged]},
    )
    return Moved(a, flagged)


# The waiting list offers a freed slot. waitlist.py books through this module, so it
# registers itself here from apps.py instead of being imported (no import cycle).
_offer_slot: list = []


def register_slot_offer(offer) -> None:
    _offer_slot[:] = [offer]


@transaction.atomic
def cancel(actor: Actor, appointment: Appointment, *, reason: str = "") -> WaitingListEntry | None:
    """Cancel; a future slot is offered to the first matching patient on the waiting list."""
    actor.require("book_appointments")
    a = _lock(appointment)
    _own(actor, a)
    if a.status != Status.BOOKED:
        raise Refused(_("Only a booked appointment can be cancelled."))
    a.status, a.cancel_reason = Status.CANCELLED, reason[:200]
    a.save(update_fields=["status", "cancel_reason", "updated_at"])
    reminders.cancel_pending(a)
    recheck_windows(a.plan)
    offered = _offer_slot[0](a) if _offer_slot and a.start > timezone.now() else None
    record(actor, "cancel", a, patient=a.patient, summary=reason[:100])
    return offered


@transaction.atomic
def mark_attendance(actor: Actor, appointment: Appointment, status: str) -> Appointment:
    """Done or did not come. A done session starts its follow-up check-ins; the last
    session of a series starts the maintenance recall."""
    actor.require("book_appointments")
    if status not in (Status.DONE, Status.NO_SHOW):
        raise Refused(_("Mark an appointment done or not attended."))
    a = _lock(appointment)
    _own(actor, a)
    if a.status != Status.BOOKED:
        raise Refused(_("This appointment is no longer booked."))
    if a.start > timezone.now():
        raise Refused(_("An appointment still to come cannot be marked yet."))
    a.status = status
    a.save(update_fields=["status", "updated_at"])
    if status == Status.DONE:
        reminders.followups(a)
        plan = a.plan
        if plan is not None and a.session_number and a.session_number >= plan.sessions_planned:
            reminders.recall(plan, clinicday.local_date(a.start, a.clinic), a.patient, a.clinic)
    record(actor, "update", a, patient=a.patient, summary=f"attendance: {status}")
    return a


ARRIVAL_STEPS = ("arrived", "in_room")


@transaction.atomic
def mark_arrival(actor: Actor, appointment: Appointment, step: str) -> Appointment:
    """The front desk's day: the patient checked in at the desk ("arrived"), then went into
    the room ("in_room"). Only a booked appointment of the clinic's today, in that order."""
    actor.require("book_appointments")
    if step not in ARRIVAL_STEPS:
        raise Refused(_("Mark the patient checked in or in the room."))
    a = _lock(appointment)
    _own(actor, a)
    if a.status != Status.BOOKED:
        raise Refused(_("This appointment is no longer booked."))
    if clinicday.local_date(a.start, actor.clinic) != clinicday.today(actor.clinic):
        raise Refused(_("Only today's patients can be checked in."))
    now = timezone.now()
    if step == "arrived":
        if a.arrived_at is not None:
            raise Refused(_("This patient is already checked in."))
        a.arrived_at = now
        fields = ["arrived_at"]
    else:
        if a.in_room_at is not None:
            raise Refused(_("This patient is already in the room."))
        a.in_room_at = now
        a.arrived_at = a.arrived_at or now
        fields = ["arrived_at", "in_room_at"]
    a.save(update_fields=[*fields, "updated_at"])
    record(actor, "update", a, patient=a.patient, summary=f"front desk: {step}")
    return a
