"""What the patient chart shows. Each app adds a panel and timeline entries through its
own `access` module; the chart stays a fixed number of queries however long the history."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from mesoclinic.accounts.actor import Actor

from . import access
from .models import Patient


@dataclass
class TimelineEntry:
    at: Any
    kind: str
    title: str
    detail: str = ""
    url: str = ""
    flag: str = ""  # "", "warn", "danger", "ok"


@dataclass
class Chart:
    patient: Patient
    clinical: bool
    intake: Any = None
    intakes: list = field(default_factory=list)
    panels: list[tuple[str, dict]] = field(default_factory=list)  # (template, context)
    timeline: list[TimelineEntry] = field(default_factory=list)
    alerts: list[tuple[str, str]] = field(default_factory=list)  # (level, message)
    # what one panel read and another needs too (e.g. "plans"): read once per chart
    shared: dict[str, Any] = field(default_factory=dict)


# (template, function(actor, patient, chart) -> context or None), in display order
PANELS: list[tuple[str, Any]] = []


def register_panel(template: str):
    def decorator(fn):
        PANELS.append((template, fn))
        return fn

    return decorator


def build(actor: Actor, patient: Patient) -> Chart:
    chart = Chart(patient=patient, clinical=actor.can("view_clinical"))
    if not chart.clinical:
        return chart
    chart.intakes = access.intake_history(actor, patient)
    chart.intake = chart.intakes[0] if chart.intakes else None
    for version in chart.intakes:
        chart.timeline.append(
            TimelineEntry(
                version.created_at,
                "intake",
                _("Intake version %(n)s") % {"n": version.number},
                version.created_by.display_name if version.created_by else "",
            )
        )
    for template, fn in PANELS:
        context = fn(actor, patient, chart)
        if context is not None:
            chart.panels.append((template, context))
    chart.timeline.sort(key=lambda e: e.at, reverse=True)
    return chart
