"""Finding free slots in memory. Pure Python, no database: the caller loads the busy
intervals of a window once, and every candidate is then checked with a binary search.

Times are whole seconds since the epoch (UTC), so comparisons are integer comparisons;
days and hours are turned into such seconds in the clinic's own time zone.
"""

import datetime as dt
from bisect import bisect_left, insort
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

Span = tuple[int, int]  # [start, end) in epoch seconds
Hours = dict[int, list[tuple[dt.time, dt.time]]]  # weekday -> stretches of the day


def epoch(moment: dt.datetime) -> int:
    return int(moment.timestamp())


class Timeline:
    """Disjoint busy intervals sorted by start, so their ends are sorted too."""

    __slots__ = ("ends", "starts")

    def __init__(self, spans: Iterable[Span] = ()):
        self.starts: list[int] = []
        self.ends: list[int] = []
        for s, e in sorted(spans):
            if self.ends and s <= self.ends[-1]:  # overlapping or touching: merge
                self.ends[-1] = max(self.ends[-1], e)
            else:
                self.starts.append(s)
                self.ends.append(e)

    def free(self, s: int, e: int) -> bool:
        i = bisect_left(self.starts, e)  # intervals [0, i) start before `e`
        return i == 0 or self.ends[i - 1] <= s

    def add(self, s: int, e: int) -> None:
        """Mark [s, e) busy, merging with any interval it overlaps or touches."""
        starts, ends = self.starts, self.ends
        i = bisect_left(starts, s)
        if i > 0 and ends[i - 1] >= s:
            i -= 1
            s, e = starts[i], max(e, ends[i])
            del starts[i], ends[i]
        while i < len(starts) and starts[i] <= e:
            e = max(e, ends[i])
            del starts[i], ends[i]
        starts.insert(i, s)
        ends.insert(i, e)

    def __len__(self) -> int:
        return len(self.starts)


def day_spans(day: dt.date, hours: Hours, zone: ZoneInfo) -> list[Span]:
    return [
        (
            epoch(dt.datetime.combine(day, a, tzinfo=zone)),
            epoch(dt.datetime.combine(day, b, tzinfo=zone)),
        )
        for a, b in hours.get(day.weekday(), [])
    ]


def covers(spans: list[Span], s: int, e: int) -> bool:
    return any(a <= s and e <= b for a, b in spans)


@dataclass
class Resource:
    """A practitioner (with working hours) or a room (open whenever the clinic is)."""

    id: int
    busy: Timeline
    hours: Hours | None = None  # None: the clinic's opening hours
    absent: Timeline = field(default_factory=Timeline)


@dataclass(frozen=True, slots=True)
class Slot:
    start: int
    end: int
    practitioner: int
    room: int

    def start_at(self, zone: ZoneInfo) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.start, tz=zone)

    def end_at(self, zone: ZoneInfo) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.end, tz=zone)


@dataclass
class Finder:
    """Slots for one patient among `practitioners` and `rooms` (already filtered to those
    who perform / suit the protocol)."""

    zone: ZoneInfo
    opening: Hours
    practitioners: list[Resource]
    rooms: list[Resource]
    patient: Timeline
    step_minutes: int = 15
    not_before: int = 0  # no slot starts before this moment (now)
    load_day: Callable[[dt.date], None] | None = None  # fills the timelines of a day
    _hours: dict = field(default_factory=dict, repr=False)

    def _spans(self, day: dt.date, hours: Hours) -> list[Span]:
        key = (day, id(hours))
        found = self._hours.get(key)
        if found is None:
            found = self._hours[key] = day_spans(day, hours, self.zone)
        return found

    def times(self, day: dt.date, minutes: int, preferred: dt.time | None) -> list[int]:
        """Start times on `day` inside opening hours, nearest to `preferred` first."""
        step = self.step_minutes * 60
        midnight = epoch(dt.datetime.combine(day, dt.time(0), tzinfo=self.zone))
        out = []
        for a, b in self._spans(day, self.opening):
            first = a + (-(a - midnight) % step)  # on the grid counted from midnight
            first = max(first, self.not_before + (-(self.not_before - midnight) % step))
            out.extend(range(first, b - minutes * 60 + 1, step))
        if preferred is not None:
            want = epoch(dt.datetime.combine(day, preferred, tzinfo=self.zone))
            out.sort(key=lambda t: (abs(t - want), t))
        return out

    def fits(
        self, s: int, e: int, day: dt.date, prefer: int | None = None, room: int | None = None
    ) -> Slot | None:
        """The first practitioner and room free for [s, e), or None."""
        if self.load_day is not None:
            self.load_day(day)
        if s < self.not_before or not self.patient.free(s, e):
            return None
        if not covers(self._spans(day, self.opening), s, e):
            return None
        chosen = None
        for p in self._ordered(prefer):
            if p.hours is not None and not covers(self._spans(day, p.hours), s, e):
                continue
            if p.busy.free(s, e) and p.absent.free(s, e):
                chosen = p
                break
        if chosen is None:
            return None
        for r in self.rooms:
            if (room is None or r.id == room) and r.busy.free(s, e):
                return Slot(s, e, chosen.id, r.id)
        return None

    def reason(self, s: int, e: int, day: dt.date, practitioner: int, room: int) -> str | None:
        """Why [s, e) cannot be booked with this practitioner and room (a code), or None."""
        if self.load_day is not None:
            self.load_day(day)
        p = next((p for p in self.practitioners if p.id == practitioner), None)
        r = next((r for r in self.rooms if r.id == room), None)
        checks = [
            ("past", s >= self.not_before),
            ("unsuited", p is not None and r is not None),
            ("closed", covers(self._spans(day, self.opening), s, e)),
            ("off_duty", p is None or p.hours is None or covers(self._spans(day, p.hours), s, e)),
            ("absent", p is None or p.absent.free(s, e)),
            ("practitioner_busy", p is None or p.busy.free(s, e)),
            ("room_busy", r is None or r.busy.free(s, e)),
            ("patient_busy", self.patient.free(s, e)),
        ]
        return next((code for code, ok in checks if not ok), None)

    def _ordered(self, prefer: int | None) -> list[Resource]:
        if prefer is None:
            return self.practitioners
        return sorted(self.practitioners, key=lambda p: p.id != prefer)

    def search(
        self,
        earliest: dt.date,
        latest: dt.date,
        target: dt.date,
        minutes: int,
        preferred: dt.time | None = None,
        prefer: int | None = None,
        per_day: int | None = None,
    ) -> Iterator[Slot]:
        """Free slots between `earliest` and `latest`, the days nearest `target` first and,
        within a day, the times nearest `preferred`; at most `per_day` from each day."""
        days = [earliest + dt.timedelta(days=i) for i in range((latest - earliest).days + 1)]
        days.sort(key=lambda d: (abs((d - target).days), d))
        for day in days:
            found = 0
            for s in self.times(day, minutes, preferred):
                slot = self.fits(s, s + minutes * 60, day, prefer)
                if slot is not None:
                    yield slot
                    found += 1
                    if per_day is not None and found >= per_day:
                        break

    def take(self, slot: Slot) -> None:
        """Hold `slot` while the rest of a series is searched."""
        self.patient.add(slot.start, slot.end)
        p = next(p for p in self.practitioners if p.id == slot.practitioner)
        r = next(r for r in self.rooms if r.id == slot.room)
        p.busy.add(slot.start, slot.end)
        r.busy.add(slot.start, slot.end)


def merge_hours(rows: Iterable[tuple[int, dt.time, dt.time]]) -> Hours:
    hours: Hours = {}
    for weekday, a, b in rows:
        insort(hours.setdefault(weekday, []), (a, b))
    return hours
