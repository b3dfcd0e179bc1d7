"""The photos panel on the patient chart: consent, the last visit's photos, and trends."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mesoclinic.patients.chart import TimelineEntry, register_panel

from . import access, actions, trends


@register_panel("photos/_panel.html", lazy=("photos", gettext_lazy("Photos")))
def photos_panel(actor, patient, chart):
    photos = access.photos_for(actor, patient, audit=False)
    visits = access.visits(photos)
    for day, items in visits.items():
        chart.timeline.append(
            TimelineEntry(
                min(p.created_at for p in items),
                "photos",
                _("Photos of %(d)s: %(n)s") % {"d": day.isoformat(), "n": len(items)},
                ", ".join(sorted({str(p.get_view_display()) for p in items})),
                reverse("photos:gallery", args=[patient.code]),
                "" if all(p.quality_ok for p in items) else "warn",
            )
        )
    last = next(iter(visits.items()), None)
    return {
        "patient": patient,
        "consent": actions.current_consent(patient),
        "last_day": last[0] if last else None,
        "last": last[1] if last else [],
        "visit_count": len(visits),
        "charts": trends.charts(photos, regions={"face", "scalp", "body"}),
    }
