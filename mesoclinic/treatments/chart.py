"""The treatments panel on the patient chart: plans with progress, and recalled-lot flags."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mesoclinic.lib.titles import protocol_title
from mesoclinic.patients.chart import TimelineEntry, register_alerts, register_panel

from . import access
from .models import SessionStatus
from .progress import progress


@register_panel("treatments/_panel.html", lazy=("treatments", gettext_lazy("Treatment plans")))
def treatments_panel(actor, patient, chart):
    plans = access.plans_for(actor, patient, audit=False)
    chart.shared["plans"] = plans  # the follow-up panel lists the signed sessions too
    rows = []
    for plan in plans:
        sessions = list(plan.sessions.all())
        rows.append(
            {
                "plan": plan,
                "title": protocol_title(plan.protocol),
                "progress": progress(plan, sessions, actor.clinic),
            }
        )
        chart.timeline.append(
            TimelineEntry(
                plan.created_at,
                "plan",
                _("Plan: %(p)s, %(n)s sessions")
                % {"p": protocol_title(plan.protocol), "n": plan.sessions_planned},
                url=reverse("treatments:plan", args=[plan.code]),
            )
        )
        for s in sessions:
            title = _("Session %(n)s (%(p)s)") % {"n": s.number, "p": protocol_title(plan.protocol)}
            detail = _("signed off") if s.status == SessionStatus.SIGNED else _("in progress")
            chart.timeline.append(
                TimelineEntry(
                    s.started_at,
                    "session",
                    title,
                    detail,
                    reverse("treatments:session", args=[s.code]),
                )
            )
    return {"rows": rows, "patient": patient}


@register_alerts
def recalled_lot_alerts(actor, patient) -> list[tuple[str, str]]:
    """A lot used on this patient was recalled: shown at the top of the chart (one query)."""
    alerts = []
    for point in access.recalled_exposures(actor, patient):
        lot = point.lot
        alerts.append(
            (
                "danger",
                _(
                    "Lot %(lot)s of %(product)s, used in session %(n)s on %(date)s, was recalled: %(reason)s"
                )
                % {
                    "lot": lot.lot_number,
                    "product": lot.product.name,
                    "n": point.session.number,
                    "date": point.session.started_at.strftime("%Y-%m-%d"),
                    "reason": lot.recall_reason,
                },
            )
        )
    return alerts
