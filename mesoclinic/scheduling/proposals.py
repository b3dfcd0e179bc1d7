"""Where the sessions of a plan can go: every session inside its window (counted from the
session before it), free for the practitioner, the room and the patient, inside opening
and working hours; the nearest alternatives when the wanted slot is taken. Read-only."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.lib import clinicday

from . import availability
from .models import Appointment, Practitioner, Room, Status
from .slots import Slot, epoch

REASONS = {
    "past": lambda: _("That time has passed."),
    "unsuited": lambda: _("This practitioner or room is not set up for this protocol."),
    "closed": lambda: _("The clinic is closed at that time."),
    "off_duty": lambda: _("The practitioner does not work at that time."),
    "absent": lambda: _("The practitioner is away at that time."),
    "practitioner_busy": lambda: _("The practitioner is already booked at that time."),
    "room_busy": lambda: _("The room is already booked at that time."),
    "patient_busy": lambda: _("The patient already has an appointment at that time."),
}


@dataclass
class Choice:
    start: dt.datetime
    end: dt.datetime
    practitioner: Practitioner
    room: Room

    @property
    def value(self) -> str:
        """How a form posts this choice back: start epoch, practitioner and room codes."""
        return f"{epoch(self.start)}|{self.practitioner.code}|{self.room.code}"


@dataclass
class Proposal:
    number: int
    earliest: dt.date
    target: dt.date
    latest: dt.date
    choice: Choice | None = None
    alternatives: list[Choice] = field(default_factory=list)
    wanted_taken: bool = False  # the wanted day and time was not free
    problem: str = ""  # why an explicitly chosen slot cannot be used


def choice_of(ctx: availability.Context, slot: Slot) -> Choice:
    return Choice(
        slot.start_at(ctx.zone), slot.end_at(ctx.zone), ctx.practitioner(slot), ctx.room(slot)
    )


def numbers_to_book(plan) -> tuple[list[int], Appointment | None]:
    """The sessions without a live appointment, and the appointment just before them."""
    held = {
        a.session_number: a
        for a in Appointment.objects.filter(
            plan=plan, status__in=[Status.BOOKED, Status.DONE]
        ).order_by("session_number")
    }
    numbers = [n for n in range(1, plan.sessions_planned + 1) if n not in held]
    before = held.get(numbers[0] - 1) if numbers else None
    return numbers, before


def parse_choice(value: str) -> tuple[int, str, str] | None:
    try:
        start, practitioner, room = value.split("|")
        return int(start), practitioner, room
    except (ValueError, AttributeError):
        return None


def propose(
    plan,
    *,
    first_date: dt.date,
    preferred_time: dt.time,
    minutes: int,
    practitioner: Practitioner | None = None,
    chosen: dict[int, str] | None = None,
    alternatives: int = 3,
    now: dt.datetime | None = None,
) -> list[Proposal]:
    """A slot for every session still to book, greedily in order, keeping the same
    practitioner where possible. `chosen` maps a session number to a posted Choice.value;
    a chosen slot that is no longer free is reported, with alternatives."""
    now = now or timezone.now()
    chosen = chosen or {}
    numbers, before = numbers_to_book(plan)
    if not numbers:
        return []
    lo, default, hi = plan.interval_min, plan.interval_default, plan.interval_max
    patient = plan.patient
    zone = clinicday.zone(patient.clinic)
    if before is not None:
        prev = clinicday.local_date(before.start, zone)
        window = (
            prev + dt.timedelta(days=lo),
            prev + dt.timedelta(days=default),
            prev + dt.timedelta(days=hi),
        )
    else:
        window = (first_date, first_date, first_date + dt.timedelta(days=hi - lo))
    last = window[2] + dt.timedelta(days=hi * (len(numbers) - 1))
    ctx = availability.build(
        patient.clinic, plan.protocol, patient, window[0], last, practitioner=practitioner, now=now
    )
    finder = ctx.finder
    by_code_p = {str(p.code): p.pk for p in ctx.practitioners.values()}
    by_code_r = {str(r.code): r.pk for r in ctx.rooms.values()}
    prefer = practitioner.pk if practitioner else None
    out: list[Proposal] = []
    for n in numbers:
        earliest, target, latest = window
        proposal = Proposal(n, earliest, target, latest)
        out.append(proposal)
        wanted = epoch(clinicday.aware(target, preferred_time, zone, strict=False))
        slots = finder.search(earliest, latest, target, minutes, preferred_time, prefer, per_day=2)
        found = [s for _i, s in zip(range(alternatives + 1), slots, strict=False)]
        picked = parse_choice(chosen.get(n, "")) if n in chosen else None
        if picked is not None:
            start, p_code, r_code = picked
            day = dt.datetime.fromtimestamp(start, tz=zone).date()
            pid, rid = by_code_p.get(p_code), by_code_r.get(r_code)
            code = (
                "unsuited"
                if pid is None or rid is None
                else finder.reason(start, start + minutes * 60, day, pid, rid)
            )
            if not earliest <= day <= latest:
                proposal.problem = _("That day is outside this session's window.")
            elif code:
                proposal.problem = REASONS[code]()
            else:
                slot = Slot(start, start + minutes * 60, pid, rid)
                found = [slot, *[s for s in found if s.start != start][:alternatives]]
        if proposal.problem:
            proposal.alternatives = [choice_of(ctx, s) for s in found[:alternatives]]
            break
        if not found:
            break  # nothing free in the window: the later windows cannot be counted
        best = found[0]
        proposal.choice = choice_of(ctx, best)
        proposal.alternatives = [choice_of(ctx, s) for s in found[1:]]
        proposal.wanted_taken = best.start != wanted
        finder.take(best)
        prefer = best.practitioner
        prev = clinicday.local_date(proposal.choice.start, zone)
        window = (
            prev + dt.timedelta(days=lo),
            prev + dt.timedelta(days=default),
            prev + dt.timedelta(days=hi),
        )
    return out
