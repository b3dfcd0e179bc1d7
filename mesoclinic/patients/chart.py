"""What the patient chart shows. Each app adds a panel and timeline entries through its
own `access` module; the chart stays a fixed number of queries however long the history.

The chart page itself reads only what is at the top (the medical history, the panels
registered without `lazy`, and every safety alert, through `register_alerts`): at most 12
statements with the session, the actor and the audit (issue 18). A panel registered with
`lazy=(name, title)` and the history timeline are placeholders there, loaded by htmx when
they scroll into view from `patients:chart_part`; `build(..., full=True)` reads everything
(the chart without JavaScript, and the timeline, which needs every panel's entries)."""

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
    full: bool = True  # False: lazy panels are placeholders and the timeline is not read


@dataclass(frozen=True)
class Panel:
    template: str
    fn: Any  # function(actor, patient, chart) -> context or None
    name: str = ""  # lazy panels: the part's name in patients:chart_part
    title: Any = ""  # lazy panels: the placeholder's heading (a lazy translation)

    @property
    def lazy(self) -> bool:
        return bool(self.name)


# in display order
PANELS: list[Panel] = []
# function(actor, patient) -> [(level, message)]: safety alerts shown at the top of every
# chart, read on the chart page itself even when their panel is loaded later
ALERTS: list[Any] = []
PLACEHOLDER = "patients/_lazy_part.html"
TIMELINE = "timeline"


def register_panel(template: str, *, lazy: tuple[str, Any] | None = None):
    def decorator(fn):
        name, title = lazy or ("", "")
        PANELS.append(Panel(template, fn, name, title))
        return fn

    return decorator


def register_alerts(fn):
    ALERTS.append(fn)
    return fn


def part_names() -> set[str]:
    return {p.name for p in PANELS if p.lazy} | {TIMELINE}


def build(actor: Actor, patient: Patient, *, full: bool = True) -> Chart:
    chart = Chart(patient=patient, clinical=actor.can("view_clinical"), full=full)
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
    for alerts in ALERTS:
        chart.alerts.extend(alerts(actor, patient))
    for panel in PANELS:
        if panel.lazy and not full:
            context = {"patient": patient, "name": panel.name, "title": panel.title}
            chart.panels.append((PLACEHOLDER, context))
            continue
        context = panel.fn(actor, patient, chart)
        if context is not None:
            chart.panels.append((panel.template, context))
    chart.alerts = list(dict.fromkeys(chart.alerts))
    chart.timeline.sort(key=lambda e: e.at, reverse=True)
    return chart


def build_part(actor: Actor, patient: Patient, name: str) -> tuple[str, dict] | None:
    """One lazy panel (its template and context), or None if it shows nothing to this
    actor. The timeline is not a panel: `build(full=True)` reads it."""
    actor.require("view_clinical")
    chart = Chart(patient=patient, clinical=True)
    panel = next(p for p in PANELS if p.name == name)
    context = panel.fn(actor, patient, chart)
    return None if context is None else (panel.template, context)
