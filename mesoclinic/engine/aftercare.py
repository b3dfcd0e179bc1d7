"""Instructions with exact times: before a session and after it."""

import datetime as dt
from typing import Any

from .inputs import protocol_of
from .knowledge import Knowledge, text
from .schema import InstructionRef
from .signs import action, flags


def duration(k: Knowledge, hours: int, lang: str) -> str:
    """24 -> "24 hours", 72 -> "3 days", 336 -> "2 weeks" (in `lang`)."""
    units = k.messages.units.get(lang) or k.messages.units["en"]
    if hours >= 168 and hours % 168 == 0:
        n, unit = hours // 168, "week"
    elif hours >= 48 and hours % 24 == 0:
        n, unit = hours // 24, "day"
    else:
        n, unit = hours, "hour"
    singular, plural = units[unit]
    return f"{n} {singular if n == 1 else plural}"


def later(moment: dt.datetime, hours: float) -> dt.datetime:
    """`hours` of elapsed time after `moment` (before, if negative), on `moment`'s own clock.
    Never wall-clock arithmetic: across a daylight-saving change 24 hours stay 24 hours."""
    return (moment.astimezone(dt.UTC) + dt.timedelta(hours=hours)).astimezone(moment.tzinfo)


def _item(k: Knowledge, ref: InstructionRef, lang: str) -> dict[str, Any]:
    ins = k.instructions[ref.item]
    body = text(ref.text or ins.text, lang)
    if ref.hours is not None:
        body = body.format(duration=duration(k, ref.hours, lang))
    return {
        "id": ref.item,
        "label": text(ins.label, lang),
        "text": body,
        "hours": ref.hours,
        "sources": k.cite(ref.sources),
        "source_ids": list(ref.sources),
    }


def aftercare(
    k: Knowledge, protocol: str, session_end: dt.datetime, lang: str = "en"
) -> dict[str, Any]:
    """Each aftercare item of `protocol` with the moment it ends; what is normal, and for how long."""
    p = protocol_of(k, protocol)
    items = []
    for ref in p.aftercare:
        item = _item(k, ref, lang)
        item["until"] = later(session_end, ref.hours).isoformat()
        items.append(item)
    expected = [
        {
            "symptom": r.symptom,
            "label": text(k.messages.symptoms[r.symptom], lang),
            "text": text(r.text, lang),
            "usual_hours": r.usual_hours,
            "until": later(session_end, r.usual_hours).isoformat(),
            "sources": k.cite(r.sources),
        }
        for r in p.expected_reactions
    ]
    red_flags = [
        {
            "id": f.id,
            "sign": f.sign,
            "level": f.level,
            "text": text(f.text, lang),
            "action": action(k, f.level, lang),
            "sources": k.cite(f.sources),
        }
        for f in flags(k, p.id)
    ]
    return {
        "protocol": protocol,
        "session_end": session_end.isoformat(),
        "items": items,
        "expected_reactions": expected,
        "red_flags": red_flags,
        "checkin_days": list(p.checkins.days),
        "knowledge_version": k.version,
    }


def pre_treatment(
    k: Knowledge, protocol: str, session_start: dt.datetime, lang: str = "en"
) -> dict[str, Any]:
    """What the patient does before `session_start`; `from` is when each instruction begins."""
    p = protocol_of(k, protocol)
    items = []
    for ref in p.pre_treatment:
        item = _item(k, ref, lang)
        item["from"] = (
            later(session_start, -ref.hours).isoformat() if ref.hours is not None else None
        )
        items.append(item)
    return {
        "protocol": protocol,
        "session_start": session_start.isoformat(),
        "items": items,
        "knowledge_version": k.version,
    }
