"""The audit pages' query: newest first by (at, seq) within the clinic, one page at a time
by keyset (a cursor naming the last row shown), never counting the whole log. Every
filter has an index that starts (clinic, <filter>, at, seq) (models.py), and the date
filter is a range on `at` (the clinic's days), so each page reads about a page of rows."""

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from mesoclinic.lib import clinicday

from .models import AuditEvent

PAGE_SIZE = 50
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
CURSOR = re.compile(r"^(\d{1,18})\.(\d{1,18})$")


def cursor_of(event: AuditEvent) -> str:
    return f"{(event.at - EPOCH) // dt.timedelta(microseconds=1)}.{event.seq}"


def parse_cursor(text: str) -> tuple[dt.datetime, int] | None:
    match = CURSOR.match(text or "")
    if not match:
        return None
    try:
        at = EPOCH + dt.timedelta(microseconds=int(match[1]))
    except OverflowError:
        return None
    return at, int(match[2])


@dataclass
class Page:
    events: list[AuditEvent]
    older: str | None  # the cursor of the next (older) page, None on the last one
    first: bool


def filtered(clinic, data: dict) -> QuerySet:
    events = AuditEvent.objects.filter(clinic=clinic)
    if data.get("user"):
        events = events.filter(username=data["user"])
    if data.get("action"):
        events = events.filter(action=data["action"])
    if data.get("patient"):
        events = events.filter(patient_code=data["patient"])
    if data.get("since"):
        events = events.filter(at__gte=clinicday.day_start(data["since"], clinic))
    if data.get("until"):
        events = events.filter(at__lt=clinicday.day_end(data["until"], clinic))
    return events


def page(events: QuerySet, before: tuple[dt.datetime, int] | None) -> Page:
    if before is not None:
        at, seq = before
        # the first condition is redundant with the second but lets the index seek to it
        events = events.filter(at__lte=at).filter(Q(at__lt=at) | Q(at=at, seq__lt=seq))
    rows = list(
        events.defer("detail", "user_agent", "prev_hash", "hash").order_by("-at", "-seq")[
            : PAGE_SIZE + 1
        ]
    )
    older = cursor_of(rows[PAGE_SIZE - 1]) if len(rows) > PAGE_SIZE else None
    return Page(rows[:PAGE_SIZE], older, before is None)
