"""From the database into the in-memory slot finder: who may treat a protocol, where,
when they work, and what is already booked. A fixed handful of queries for the set-up,
then one query per day the search actually looks at."""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from mesoclinic.engine.knowledge import load
from mesoclinic.lib import clinicday

from .models import Absence, Appointment, OpeningHours, Practitioner, Room, Status
from .slots import Finder, Resource, Timeline, epoch, merge_hours

MAX_LENGTH = dt.timedelta(hours=12)  # far longer than any session a protocol defines


def step_minutes() -> int:
    return int(getattr(settings, "SCHEDULING_SLOT_MINUTES", 15))


def session_minutes(protocol: str, cream_in_clinic: bool) -> int:
    """The protocol's session length, plus the anaesthetic cream's usual lead time when the
    cream goes on in the clinic (the patient then waits in the room)."""
    p = load().protocols[protocol]
    minutes = p.session_minutes.value
    if cream_in_clinic and p.anaesthetic_cream is not None:
        minutes += p.anaesthetic_cream.lead_minutes.default
    step = step_minutes()
    return -(-minutes // step) * step  # whole grid steps


def cream_possible(protocol: str) -> bool:
    return load().protocols[protocol].anaesthetic_cream is not None


@dataclass
class Context:
    """A finder with the model objects behind its ids."""

    finder: Finder
    practitioners: dict[int, Practitioner]
    rooms: dict[int, Room]
    zone: ZoneInfo

    def practitioner(self, slot) -> Practitioner:
        return self.practitioners[slot.practitioner]

    def room(self, slot) -> Room:
        return self.rooms[slot.room]


def qualified(clinic, protocol: str) -> tuple[list[Practitioner], list[Room]]:
    """Active practitioners who perform `protocol` and rooms that suit it (JSON lists are
    filtered here: SQLite cannot query inside them)."""
    practitioners = [
        p
        for p in Practitioner.objects.filter(clinic=clinic, is_active=True).prefetch_related(
            "hours"
        )
        if protocol in p.protocols
    ]
    rooms = [
        r for r in Room.objects.filter(clinic=clinic, is_active=True) if protocol in r.protocols
    ]
    return practitioners, rooms


def opening_hours(clinic):
    return merge_hours(
        OpeningHours.objects.filter(clinic=clinic).values_list("weekday", "start", "end")
    )


def build(
    clinic,
    protocol: str,
    patient,
    first: dt.date,
    last: dt.date,
    *,
    practitioner: Practitioner | None = None,
    room: Room | None = None,
    exclude: Appointment | None = None,
    now: dt.datetime | None = None,
) -> Context:
    """A finder for `patient` and `protocol` between the days `first` and `last`."""
    zone = clinicday.zone(clinic)
    practitioners, rooms = qualified(clinic, protocol)
    if practitioner is not None:
        practitioners = [p for p in practitioners if p.pk == practitioner.pk]
    if room is not None:
        rooms = [r for r in rooms if r.pk == room.pk]
    lo, hi = clinicday.days_bounds(first, (last - first).days + 1, zone)
    absent: dict[int, list] = {}
    for pid, s, e in Absence.objects.filter(
        practitioner__in=practitioners, start__lt=hi, end__gt=lo
    ).values_list("practitioner_id", "start", "end"):
        absent.setdefault(pid, []).append((epoch(s), epoch(e)))
    by_p = {
        p.pk: Resource(
            p.pk,
            Timeline(),
            merge_hours((h.weekday, h.start, h.end) for h in p.hours.all()),
            Timeline(absent.get(p.pk, ())),
        )
        for p in practitioners
    }
    by_r = {r.pk: Resource(r.pk, Timeline()) for r in rooms}
    patient_busy = Timeline()
    loaded: set[dt.date] = set()
    seen: set[int] = set()

    def load_day(day: dt.date) -> None:
        if day in loaded:
            return
        loaded.add(day)
        start, end = clinicday.day_bounds(day, zone)
        rows = Appointment.objects.filter(
            Q(practitioner__in=list(by_p)) | Q(room__in=list(by_r)) | Q(patient=patient),
            clinic=clinic,
            status=Status.BOOKED,
            start__lt=end,
            start__gt=start - MAX_LENGTH,  # a bounded range scan of the (clinic, start) index
            end__gt=start,
        )
        if exclude is not None:
            rows = rows.exclude(pk=exclude.pk)
        for pk, pid, rid, pat, s, e in rows.values_list(
            "pk", "practitioner_id", "room_id", "patient_id", "start", "end"
        ):
            if pk in seen:
                continue
            seen.add(pk)
            s, e = epoch(s), epoch(e)
            if pid in by_p:
                by_p[pid].busy.add(s, e)
            if rid in by_r:
                by_r[rid].busy.add(s, e)
            if pat == patient.pk:
                patient_busy.add(s, e)

    finder = Finder(
        zone=zone,
        opening=opening_hours(clinic),
        practitioners=list(by_p.values()),
        rooms=list(by_r.values()),
        patient=patient_busy,
        step_minutes=step_minutes(),
        not_before=epoch(now or timezone.now()),
        load_day=load_day,
    )
    return Context(finder, {p.pk: p for p in practitioners}, {r.pk: r for r in rooms}, zone)


def free_pair(
    clinic,
    protocol: str,
    patient,
    start: dt.datetime,
    end: dt.datetime,
    *,
    practitioner: Practitioner | None = None,
    room: Room | None = None,
) -> tuple[Practitioner, Room] | None:
    """A practitioner and a room free for [start, end) for this protocol, keeping the
    given ones (a free slot clicked in a practitioner's column leaves the room to us)."""
    day = clinicday.local_date(start, clinic)
    ctx = build(clinic, protocol, patient, day, day, practitioner=practitioner, room=room)
    for p in ctx.practitioners.values():
        for r in ctx.rooms.values():
            if ctx.finder.reason(epoch(start), epoch(end), day, p.pk, r.pk) is None:
                return p, r
    return None
