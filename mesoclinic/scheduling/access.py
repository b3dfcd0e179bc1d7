"""Every read of the schedule: scoped to the actor's clinic, audited where patient data is
shown. The day view reads in a fixed number of queries, however many appointments."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from mesoclinic.accounts.actor import Actor
from mesoclinic.accounts.models import User
from mesoclinic.accounts.roles import CLINICAL
from mesoclinic.audit.actions import record
from mesoclinic.lib import clinicday
from mesoclinic.outbox import access as outbox_access
from mesoclinic.treatments import access as treatments_access

from . import availability
from .dayrows import day_rows
from .glance import readiness
from .models import (
    Appointment,
    CalendarToken,
    Practitioner,
    Room,
    Status,
    WaitingListEntry,
    WaitStatus,
)


def practitioners_for(
    actor: Actor, *, active_only: bool = True, hours: bool = True
) -> list[Practitioner]:
    qs = Practitioner.objects.filter(clinic=actor.clinic)
    if hours:
        qs = qs.prefetch_related("hours")
    return list(qs.filter(is_active=True) if active_only else qs)


def staff_without_practitioner(actor: Actor) -> QuerySet[User]:
    """The clinic's active clinical staff who are not yet practitioners (to add one)."""
    return User.objects.filter(
        membership__clinic=actor.clinic,
        membership__is_active=True,
        membership__role__in=CLINICAL,
        practitioner__isnull=True,
    )


def rooms_for(actor: Actor, *, active_only: bool = True) -> list[Room]:
    qs = Room.objects.filter(clinic=actor.clinic)
    return list(qs.filter(is_active=True) if active_only else qs)


def _get(qs, code, what):
    try:
        return qs.get(code=code)
    except (qs.model.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404(f"no such {what}") from None


def get_practitioner(actor: Actor, code) -> Practitioner:
    return _get(Practitioner.objects.filter(clinic=actor.clinic), code, "practitioner")


def get_room(actor: Actor, code) -> Room:
    return _get(Room.objects.filter(clinic=actor.clinic), code, "room")


def _appointments(actor: Actor) -> QuerySet[Appointment]:
    return Appointment.objects.filter(clinic=actor.clinic).select_related(
        "patient", "practitioner", "room", "plan"
    )


def get_appointment(actor: Actor, code, *, audit: str | None = "view") -> Appointment:
    actor.require("book_appointments")
    a = _get(_appointments(actor), code, "appointment")
    if audit:
        record(actor, audit, a, patient=a.patient)
    return a


def plan_for_booking(actor: Actor, code):
    """The plan's scheduling facts (protocol, sessions, intervals) for the front desk, who
    may book it without seeing its clinical content."""
    actor.require("book_appointments")
    plan = treatments_access.plan_in_clinic(actor, code)
    record(actor, "view", plan, patient=plan.patient, summary="booking")
    return plan


def plan_appointments(plan) -> list[Appointment]:
    return list(
        Appointment.objects.filter(plan=plan)
        .select_related("practitioner", "room")
        .order_by("session_number", "start")
    )


def patient_appointments(actor: Actor, patient) -> list[Appointment]:
    actor.require("book_appointments")
    if patient.clinic_id != actor.clinic.pk:
        raise Http404("no such patient")
    return list(_appointments(actor).filter(patient=patient).order_by("-start"))


@dataclass
class Column:
    obj: Practitioner | Room
    appointments: list


DAY_FIELDS = (
    *("code", "start", "end", "status", "protocol", "session_number", "outside_window"),
    *("clinic_id", "practitioner__name", "practitioner__code", "room__name", "room__code"),
    *("patient__given_name", "patient__family_name", "patient__code", "patient__clinic_id"),
    *("patient__current_intake_id", "plan__sessions_planned", "plan__patient_id"),
)


def day_schedule(actor: Actor, day: dt.date, by: str) -> dict:
    """Columns (practitioners or rooms) with the day's appointments, and each patient's
    screening and gate status. Fixed query count."""
    actor.require("book_appointments")
    lo, hi = clinicday.day_bounds(day, actor.clinic)
    appointments = day_rows(
        Appointment.objects.filter(clinic=actor.clinic)
        .filter(start__lt=hi, start__gt=lo - availability.MAX_LENGTH, end__gt=lo)
        .exclude(status=Status.CANCELLED)
        .order_by("start", "pk")
    )
    owners = rooms_for(actor) if by == "room" else practitioners_for(actor, hours=False)
    key = "room_id" if by == "room" else "practitioner_id"
    by_owner: dict[int, list] = {}
    for a in appointments:
        by_owner.setdefault(getattr(a, key), []).append(a)
    columns = [Column(o, by_owner.get(o.pk, [])) for o in owners]
    record(actor, "view", summary=f"day schedule {day} by {by}: {len(appointments)} appointments")
    return {
        "columns": columns,
        "appointments": appointments,
        "glance": readiness(actor, appointments, day),
    }


def week_schedule(actor: Actor, monday: dt.date, owner) -> list[tuple[dt.date, list]]:
    actor.require("book_appointments")
    lo, hi = clinicday.week_bounds(monday, actor.clinic)
    field = "room" if isinstance(owner, Room) else "practitioner"
    appointments = list(
        _appointments(actor)
        .filter(start__lt=hi, start__gt=lo - availability.MAX_LENGTH, end__gt=lo, **{field: owner})
        .exclude(status=Status.CANCELLED)
        .order_by("start")
    )
    days = clinicday.week_days(monday)
    record(actor, "view", owner, summary=f"week schedule from {days[0]}: {len(appointments)}")
    on = {d: [] for d in days}
    for a in appointments:
        on.setdefault(clinicday.local_date(a.start, actor.clinic), []).append(a)
    return [(d, on[d]) for d in days]


def calendar(actor: Actor, days: list[dt.date], by: str, owner=None) -> dict:
    """The appointments of `days` (all practitioners' or rooms', or one owner's), with each
    one's screening and gate status from the day's glance. A few queries per day shown."""
    actor.require("book_appointments")
    lo, _hi = clinicday.day_bounds(days[0], actor.clinic)
    _lo, hi = clinicday.day_bounds(days[-1], actor.clinic)
    qs = (
        _appointments(actor)
        .filter(start__lt=hi, start__gt=lo - availability.MAX_LENGTH, end__gt=lo)
        .exclude(status=Status.CANCELLED)
        .only(*DAY_FIELDS, "appointment_type", "practitioner_id", "room_id")
        .order_by("start", "pk")
    )
    if owner is not None:
        qs = qs.filter(**{"room" if isinstance(owner, Room) else "practitioner": owner})
    appointments = list(qs)
    on: dict[dt.date, list] = {d: [] for d in days}
    for a in appointments:
        on.setdefault(clinicday.local_date(a.start, actor.clinic), []).append(a)
    glance: dict[int, object] = {}
    for d in days:
        glance.update(readiness(actor, on[d], d))
    record(
        actor,
        "view",
        owner,
        summary=f"calendar {days[0]}..{days[-1]} by {by}: {len(appointments)} appointments",
    )
    return {"appointments": appointments, "on": on, "glance": glance}


def sessions_of(appointments: list) -> dict[int, object]:
    """The treatment session performed for each appointment of a plan (same plan and
    session number): its code and status only, which the front desk may see."""
    wanted = {(a.plan_id, a.session_number): a.pk for a in appointments if a.plan_id}
    if not wanted:
        return {}
    found = treatments_access.session_states({p for p, _n in wanted})
    return {wanted[(s.plan_id, s.number)]: s for s in found if (s.plan_id, s.number) in wanted}


def desk(actor: Actor, *, days_ahead: int = 7) -> dict:
    """The front desk's home: today's arrivals (with gate status and the session performed)
    and the patients booked in the coming days whose medical history is missing."""
    actor.require("book_appointments")
    today = clinicday.today(actor.clinic)
    lo, hi = clinicday.day_bounds(today, actor.clinic)
    appointments = list(
        _appointments(actor)
        .filter(start__gte=lo, start__lt=hi)
        .exclude(status=Status.CANCELLED)
        .order_by("start", "pk")
    )
    _lo, later = clinicday.days_bounds(today, days_ahead + 1, actor.clinic)
    no_intake = list(
        _appointments(actor)
        .filter(start__gte=lo, start__lt=later, status=Status.BOOKED, patient__current_intake=None)
        .order_by("start", "pk")
    )
    record(actor, "view", summary=f"front desk {today}: {len(appointments)} appointments")
    return {
        "today": today,
        "appointments": appointments,
        "glance": readiness(actor, appointments, today),
        "sessions": sessions_of(appointments),
        "no_intake": no_intake,
    }


def waiting_list(actor: Actor) -> list[WaitingListEntry]:
    actor.require("book_appointments")
    found = list(
        WaitingListEntry.objects.filter(
            clinic=actor.clinic, status__in=[WaitStatus.WAITING, WaitStatus.OFFERED]
        ).select_related("patient", "practitioner", "offered_practitioner", "offered_room")
    )
    record(actor, "view", summary=f"waiting list: {len(found)}")
    return found


def get_waiting_entry(actor: Actor, code) -> WaitingListEntry:
    actor.require("book_appointments")
    return _get(
        WaitingListEntry.objects.filter(clinic=actor.clinic).select_related("patient"),
        code,
        "entry",
    )


def feeds_for(actor: Actor, *, patient=None, practitioner=None) -> list[CalendarToken]:
    actor.require("book_appointments")
    qs = CalendarToken.objects.filter(clinic=actor.clinic)
    if patient is not None:
        qs = qs.filter(patient=patient)
    if practitioner is not None:
        qs = qs.filter(practitioner=practitioner)
    return list(qs.select_related("patient", "practitioner"))


def get_feed(actor: Actor, code) -> CalendarToken:
    actor.require("book_appointments")
    return _get(
        CalendarToken.objects.filter(clinic=actor.clinic).select_related("patient"), code, "feed"
    )


def messages_of(actor: Actor, appointment: Appointment) -> list:
    """The outbox's messages about the appointment (reminders, check-ins)."""
    actor.require("book_appointments")
    return outbox_access.messages_about(actor, appointment)


def practitioner_choices(actor: Actor) -> QuerySet[Practitioner]:
    return Practitioner.objects.filter(clinic=actor.clinic, is_active=True)


def room_choices(actor: Actor) -> QuerySet[Room]:
    return Room.objects.filter(clinic=actor.clinic, is_active=True)


# --- the patient's own appointments (the portal: a patient actor, actor.patient) ------------


def _own(actor: Actor) -> QuerySet[Appointment]:
    patient = actor.patient
    if patient is None:
        raise Http404("no such appointment")
    return Appointment.objects.filter(patient=patient, clinic=patient.clinic).select_related(
        "practitioner", "room", "plan"
    )


def own_upcoming(actor: Actor) -> list[Appointment]:
    """The patient's booked appointments still to come, soonest first."""
    return list(_own(actor).filter(status=Status.BOOKED, end__gte=timezone.now()).order_by("start"))


def own_past(actor: Actor, limit: int = 10) -> list[Appointment]:
    return list(_own(actor).filter(start__lt=timezone.now()).order_by("-start")[:limit])


def own_appointment(actor: Actor, code) -> Appointment:
    return _get(_own(actor), code, "appointment")


def is_coming(appointment: Appointment) -> bool:
    """Booked and not yet begun: the only kind a patient may ask to move."""
    return appointment.status == Status.BOOKED and appointment.start > timezone.now()


def change_window(appointment, today: dt.date | None = None) -> tuple[dt.date, dt.date] | None:
    """The days this appointment may move to: inside its session's window (counted from the
    session before it, as the plan's interval says), from tomorrow on. None if no day is
    left (the patient then calls the clinic)."""
    zone = clinicday.zone(appointment.clinic)
    today = today or clinicday.today(zone)
    plan = appointment.plan
    current = clinicday.local_date(appointment.start, zone)
    if plan is None or not appointment.session_number:
        earliest, latest = today, current + dt.timedelta(days=28)
    else:
        before = (
            Appointment.objects.filter(
                plan=plan,
                session_number=appointment.session_number - 1,
                status__in=[Status.BOOKED, Status.DONE],
            )
            .order_by("-start")
            .first()
        )
        prev = clinicday.local_date(before.start, zone) if before is not None else None
        if prev is None:  # the session before may have been treated without a booking
            started = treatments_access.session_started(plan, appointment.session_number - 1)
            prev = clinicday.local_date(started, zone) if started else None
        if prev is not None:
            earliest = prev + dt.timedelta(days=plan.interval_min)
            latest = prev + dt.timedelta(days=plan.interval_max)
        else:  # the first session: as the plan's first window
            earliest = plan.start_date
            latest = plan.start_date + dt.timedelta(days=plan.interval_max - plan.interval_min)
            latest = max(latest, current)
    earliest = max(earliest, today + dt.timedelta(days=1))
    return (earliest, latest) if earliest <= latest else None
