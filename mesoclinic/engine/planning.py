"""Planning: the session series of a protocol and the maintenance after it."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .inputs import InputError, protocol_of
from .knowledge import Knowledge


@dataclass(frozen=True, slots=True)
class PlannedSession:
    number: int
    earliest: dt.date
    target: dt.date
    latest: dt.date


@dataclass(frozen=True, slots=True)
class Plan:
    protocol: str
    sessions: tuple[PlannedSession, ...]
    interval_min: int
    interval_default: int
    interval_max: int
    maintenance_min: int
    maintenance_max: int
    maintenance_first: dt.date
    sources: tuple[str, ...]
    knowledge_version: str
    constraints: tuple[tuple[str, int], ...] = ()  # (ingredient class, minimum interval days)

    def as_dict(self, k: Knowledge) -> dict[str, Any]:
        return {
            "protocol": self.protocol,
            "sessions": [
                {
                    "number": s.number,
                    "earliest": s.earliest.isoformat(),
                    "target": s.target.isoformat(),
                    "latest": s.latest.isoformat(),
                }
                for s in self.sessions
            ],
            "interval_days": {
                "min": self.interval_min,
                "default": self.interval_default,
                "max": self.interval_max,
            },
            "maintenance": {
                "every_days_min": self.maintenance_min,
                "every_days_max": self.maintenance_max,
                "first_target": self.maintenance_first.isoformat(),
            },
            "sources": k.cite(self.sources),
            "source_ids": list(self.sources),
            "constraints": [
                {"ingredient_class": cls, "min_interval_days": days}
                for cls, days in self.constraints
            ],
            "knowledge_version": self.knowledge_version,
        }


def windows(
    start: dt.date, count: int, lo: int, default: int, hi: int
) -> tuple[PlannedSession, ...]:
    """Session 1 on `start`; each later one `lo`..`hi` days after the previous target."""
    out = [PlannedSession(1, start, start, start)]
    for number in range(2, count + 1):
        prev = out[-1].target
        out.append(
            PlannedSession(
                number,
                prev + dt.timedelta(days=lo),
                prev + dt.timedelta(days=default),
                prev + dt.timedelta(days=hi),
            )
        )
    return tuple(out)


def plan(
    k: Knowledge,
    protocol: str,
    start: dt.date,
    sessions: int | None = None,
    ingredient_classes: frozenset[str] = frozenset(),
) -> Plan:
    """The series for `protocol` from `start`; `ingredient_classes` of the planned cocktail
    may lengthen the minimum interval (e.g. lipolytics)."""
    p = protocol_of(k, protocol)
    series = p.series
    count = series.sessions.default if sessions is None else sessions
    if not series.sessions.min <= count <= series.sessions.max:
        raise InputError(
            "sessions",
            f"{count} is outside {series.sessions.min}-{series.sessions.max} for {protocol}",
        )
    lo, default, hi = (
        series.interval_days.min,
        series.interval_days.default,
        series.interval_days.max,
    )
    sources = list(series.sources)
    constraints = []
    for cls_id in sorted(ingredient_classes):
        cls = k.classes.get(cls_id)
        if cls is None:
            raise InputError("ingredients", f"unknown ingredient class {cls_id!r}")
        if cls.min_interval_days and cls.min_interval_days > lo:
            lo = cls.min_interval_days
            default, hi = max(default, lo), max(hi, lo)
            sources.extend(s for s in cls.sources if s not in sources)
            constraints.append((cls_id, lo))
    planned = windows(start, count, lo, default, hi)
    m = p.maintenance
    return Plan(
        protocol=protocol,
        sessions=planned,
        interval_min=lo,
        interval_default=default,
        interval_max=hi,
        maintenance_min=m.every_days.min,
        maintenance_max=m.every_days.max,
        maintenance_first=planned[-1].target + dt.timedelta(days=m.every_days.default),
        sources=tuple(dict.fromkeys([*sources, *m.sources])),
        knowledge_version=k.version,
        constraints=tuple(constraints),
    )
