"""The calendar's time grid, laid out here so the template only prints: one column per
practitioner or room (a day) or per day (one owner's week), one row per grid step,
appointments placed by time, and every open step a link to book it.

Strict CSP allows no inline style, so positions are classes (`gr-N` row, `gs-N` span,
`gc-N` column) defined in the static calendar.css.
"""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.lib import clinicday
from mesoclinic.lib.titles import protocol_titles

from .availability import step_minutes
from .models import Practitioner, Room, Status

MAX_ROWS = 96  # a whole day of 15-minute steps; calendar.css defines this many
MAX_COLUMNS = 30
DEFAULT_HOURS = (dt.time(8), dt.time(19))


@dataclass
class Column:
    index: int  # the grid column (1 is the time labels)
    label: str
    day: dt.date
    practitioner: Practitioner | None = None
    room: Room | None = None
    href: str = ""  # the column's heading link (the owner's week, or the day)
    cells: list = field(default_factory=list)
    blocks: list = field(default_factory=list)

    @property
    def who(self) -> str:
        owner = self.practitioner or self.room
        return owner.name if owner is not None else ""


def _spans(hours: dict, day: dt.date) -> list[tuple[dt.time, dt.time]]:
    return hours.get(day.weekday(), [])


def _inside(spans, t: dt.time, until: dt.time) -> bool:
    return any(a <= t and until <= b for a, b in spans)


def row_times(days: list[dt.date], opening: dict) -> list[dt.time]:
    """The steps shown: from the earliest opening to the latest closing of the days."""
    spans = [s for d in days for s in _spans(opening, d)]
    lo = min((a for a, _b in spans), default=DEFAULT_HOURS[0])
    hi = max((b for _a, b in spans), default=DEFAULT_HOURS[1])
    step = step_minutes()
    out, t = [], dt.datetime.combine(days[0], lo)
    end = dt.datetime.combine(days[0], hi)
    while t < end and len(out) < MAX_ROWS:
        out.append(t.time())
        t += dt.timedelta(minutes=step)
    return out


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


GATE = {True: "ok", False: "danger", None: "none"}


def build(actor, columns: list[Column], appointments_of, glance: dict, opening: dict) -> dict:
    """Fill each column's cells and blocks. `appointments_of(column)` gives its
    appointments."""
    if not columns:
        return {"times": [], "columns": [], "ncols": 0}
    days = sorted({c.day for c in columns})
    times = row_times(days, opening)
    step = step_minutes()
    zone = clinicday.zone(actor.clinic)
    now = timezone.now()
    titles = protocol_titles()
    book = reverse("scheduling:calendar_book")
    first = _minutes(times[0]) if times else 0
    for col in columns:
        covered: set[int] = set()
        for a in appointments_of(col):
            s, e = clinicday.local(a.start, zone), clinicday.local(a.end, zone)
            start_min = _minutes(s.time()) if s.date() == col.day else 0
            end_min = _minutes(e.time()) if e.date() == col.day else 24 * 60
            row = max(0, (start_min - first) // step)
            end_row = min(len(times), -(-(end_min - first) // step))
            if row >= len(times) or end_row <= 0:  # outside the hours shown: at the edge
                row, end_row = (len(times) - 1, len(times)) if row >= len(times) else (0, 1)
            span = max(1, end_row - row)
            if a.status == Status.BOOKED:
                covered.update(range(row, row + span))
            g = glance.get(a.pk)
            ready = None if g is None else g.ready
            col.blocks.append(
                {
                    "a": a,
                    "row": row + 2,
                    "span": span,
                    "when": f"{s:%H:%M}–{e:%H:%M}",
                    "type": a.get_appointment_type_display(),
                    "type_key": a.appointment_type,
                    "protocol": titles.get(a.protocol, a.protocol),
                    "patient": a.patient.full_name,
                    "movable": a.status == Status.BOOKED and a.start > now,
                    "status": "" if a.status == Status.BOOKED else a.get_status_display(),
                    "gate": GATE[ready],
                    "gate_text": _gate_text(g),
                }
            )
        hours = col.practitioner.hours_map if col.practitioner is not None else None
        for i, t in enumerate(times):
            until = (dt.datetime.combine(col.day, t) + dt.timedelta(minutes=step)).time()
            until = until if until != dt.time(0) else dt.time(23, 59, 59)
            moment = clinicday.aware(col.day, t, zone, strict=False)
            open_ = _inside(_spans(opening, col.day), t, until) and (
                hours is None or _inside(_spans(hours, col.day), t, until)
            )
            cell = {"row": i + 2, "time": f"{t:%H:%M}", "open": open_ and moment >= now}
            cell["busy"] = i in covered
            if cell["open"]:
                params = {"date": col.day.isoformat(), "time": cell["time"]}
                if col.practitioner is not None:
                    params["practitioner"] = str(col.practitioner.code)
                if col.room is not None:
                    params["room"] = str(col.room.code)
                cell["href"] = f"{book}?{urlencode(params)}"
            col.cells.append(cell)
    return {
        "times": [
            {"row": i + 2, "label": f"{t:%H:%M}", "hour": t.minute == 0}
            for i, t in enumerate(times)
        ],
        "columns": columns,
        "ncols": min(len(columns), MAX_COLUMNS),
    }


def _gate_text(g) -> str:
    if g is None:
        return ""
    if g.ready is True:
        return _("ready to treat")
    if g.ready is False:
        words = {
            "screening": _("screening"),
            "consent": _("consent"),
            "patch": _("patch test"),
            "lot": _("lot"),
        }
        return _("not ready: %(missing)s") % {
            "missing": ", ".join(words.get(m, m) for m in g.missing)
        }
    if g.screening == "none":
        return _("not screened")
    return _("screened")
