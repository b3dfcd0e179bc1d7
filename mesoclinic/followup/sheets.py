"""An aftercare sheet as the pages, the e-mail and the calendar show it: always from what
was stored at sign-off, never recomputed from today's knowledge."""

import datetime as dt
from typing import Any

from django.utils import timezone

from mesoclinic.engine.knowledge import load
from mesoclinic.engine.signs import action
from mesoclinic.lib import clinicday
from mesoclinic.lib.titles import protocol_title


def _moment(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def sheet_context(sheet, now: dt.datetime | None = None) -> dict[str, Any]:
    """Items with their end as an aware datetime in the clinic's zone, and whether each is
    still running at `now`."""
    now = now or timezone.now()
    zone = clinicday.zone(sheet.patient.clinic)
    care = sheet.items
    items = []
    for item in care.get("items", []):
        until = clinicday.local(_moment(item["until"]), zone)
        items.append({**item, "until": until, "running": until > now})
    items.sort(key=lambda i: i["until"])
    expected = []
    for r in care.get("expected_reactions", []):
        until = clinicday.local(_moment(r["until"]), zone)
        expected.append({**r, "until": until, "running": until > now})
    return {
        "sheet": sheet,
        "title": protocol_title(sheet.protocol, sheet.language),
        "session_end": clinicday.local(sheet.session_end, zone),
        "items": items,
        "running": [i for i in items if i["running"]],
        "done": [i for i in items if not i["running"]],
        "expected": expected,
        # each flag's action was stored with it; a sheet stored before flags carried one
        # gets the action for its stored level (never no action at all)
        "red_flags": [
            {**f, "action": f.get("action") or action(load(), f["level"], sheet.language)}
            for f in care.get("red_flags", [])
        ],
        "checkin_days": care.get("checkin_days", []),
        "zone": zone,
    }
