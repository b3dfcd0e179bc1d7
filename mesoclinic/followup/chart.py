"""The follow-up panel on the patient chart: open alerts, side effects, check-ins and the
GAIS trend; side effects also go on the chart's timeline."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mesoclinic.lib import clinicday
from mesoclinic.lib.titles import symptom_label
from mesoclinic.patients.chart import TimelineEntry, register_alerts, register_panel
from mesoclinic.treatments import access as treatments_access

from . import access
from .models import Level
from .trend import gais_trend

FLAG = {Level.EXPECTED: "", Level.CONTACT_CLINIC: "warn", Level.URGENT: "danger"}


@register_panel(
    "followup/_panel.html", lazy=("followup", gettext_lazy("Follow-up and side effects"))
)
def followup_panel(actor, patient, chart):
    data = access.for_chart(actor, patient)
    now = timezone.now()
    events, checkins = data["events"], data["checkins"]
    for e in events:
        chart.timeline.append(
            TimelineEntry(
                e.reported_at,
                "adverse_event",
                _("Side effect after session %(n)s: %(level)s")
                % {"n": e.session.number, "level": e.get_level_display()},
                ", ".join(symptom_label(s) for s in e.symptoms),
                reverse("followup:event", args=[e.code]),
                FLAG.get(e.level, "danger"),
            )
        )
    open_checkins = [c for c in checkins if not c.is_answered and c.due_at <= now]
    answered = [c for c in checkins if c.is_answered]
    plans = chart.shared.get("plans")
    if plans is None:
        plans = treatments_access.plans_for(actor, patient, audit=False)
    signed = [s for plan in plans for s in plan.sessions.all() if s.is_signed]
    signed.sort(key=lambda s: s.started_at, reverse=True)
    return {
        "patient": patient,
        "events": events,
        "open_checkins": open_checkins,
        "answered": answered[-5:],
        "next_checkin": next((c for c in checkins if c.due_at > now), None),
        "trend": gais_trend(data["gais"]),
        "gais": data["gais"][-6:],
        "signed_sessions": signed[:6],
    }


@register_alerts
def side_effect_alerts(actor, patient) -> list[tuple[str, str]]:
    """Unresolved urgent or emergency side effects: at the top of the chart (one query)."""
    return [
        (
            "danger",
            _("An unresolved %(level)s side effect was reported on %(when)s.")
            % {
                "level": e.get_level_display().lower(),
                "when": clinicday.local_text(e.reported_at, actor.clinic),
            },
        )
        for e in access.open_urgent_events(actor, patient)
    ]
