"""The screening panel and timeline entries of the patient chart: one query (and one audit
entry) however many screenings the patient has."""

from django.urls import reverse
from django.utils.translation import gettext as _

from mesoclinic.engine.knowledge import load
from mesoclinic.lib import clinicday
from mesoclinic.lib.language import language
from mesoclinic.lib.titles import protocol_title
from mesoclinic.patients.chart import TimelineEntry, register_panel

from . import access
from .models import Decision

PANEL_ROWS = 5
FLAGS = {
    Decision.ELIGIBLE: "ok",
    Decision.DEFER: "warn",
    Decision.REVIEW: "warn",
    Decision.CONTRAINDICATED: "danger",
}


@register_panel("screening/_panel.html")
def screening_panel(actor, patient, chart):
    if not actor.can("view_clinical"):
        return None
    records = access.screenings_for(actor, patient)
    k = load()
    lang = language()
    today = clinicday.today(actor.clinic)
    labels = dict(Decision.choices)
    rows = []
    for r in records:
        title = protocol_title(r.protocol, lang, k)
        url = reverse("screening:detail", args=[r.code])
        effective = access.effective_decision(r)
        override = r.override_or_none
        rows.append(
            {
                "record": r,
                "title": title,
                "decision": effective,
                "label": labels.get(effective, effective),
                "overridden": override is not None,
                "currency": access.currency(r, patient, today),
                "url": url,
            }
        )
        chart.timeline.append(
            TimelineEntry(
                r.created_at,
                "screening",
                _("Screened for %(protocol)s on %(date)s: %(decision)s")
                % {
                    "protocol": title,
                    "date": r.planned_date.isoformat(),
                    "decision": labels.get(r.decision, r.decision),
                },
                r.created_by.display_name if r.created_by else "",
                url,
                FLAGS.get(r.decision, ""),
            )
        )
        if override is not None:
            chart.timeline.append(
                TimelineEntry(
                    override.created_at,
                    "screening-override",
                    _("Review of the %(protocol)s screening overridden: now %(decision)s")
                    % {"protocol": title, "decision": labels.get(override.decision, "")},
                    override.physician.display_name,
                    url,
                    FLAGS.get(override.decision, ""),
                )
            )
    return {
        "patient": patient,
        "rows": rows[:PANEL_ROWS],
        "more": max(0, len(rows) - PANEL_ROWS),
        "can_screen": actor.can("record_clinical"),
    }
