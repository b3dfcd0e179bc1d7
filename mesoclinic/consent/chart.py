"""The consent panel of the patient chart and its timeline entries."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mesoclinic.lib.titles import class_choices, class_label, protocol_choices, protocol_title
from mesoclinic.patients.chart import TimelineEntry, register_panel

from . import access
from .validity import validity


@register_panel("consent/_panel.html", lazy=("consent", gettext_lazy("Consent")))
def panel(actor, patient, chart):
    consents = access.consents_for(actor, patient)
    versions = access.versions_for(consents)
    rows = []
    for consent in consents:
        protocol = consent.template.protocol
        valid, reasons = validity(consent, protocol, (), current_version=versions[protocol])
        title = protocol_title(protocol)
        url = reverse("consent:detail", args=[consent.code])
        rows.append(
            {
                "consent": consent,
                "title": title,
                "classes": [class_label(pc) for pc in consent.product_classes],
                "valid": valid,
                "reasons": reasons,
                "url": url,
            }
        )
        chart.timeline.append(
            TimelineEntry(
                consent.signed_at,
                "consent",
                _("Consent signed: %(protocol)s, text version %(n)s")
                % {"protocol": title, "n": consent.template.version},
                consent.signer_name,
                url=url,
            )
        )
        if consent.withdrawn:
            chart.timeline.append(
                TimelineEntry(
                    consent.withdrawal.withdrawn_at,
                    "consent",
                    _("Consent withdrawn: %(protocol)s") % {"protocol": title},
                    consent.withdrawal.withdrawn_by.display_name,
                    url=url,
                    flag="warn",
                )
            )
    return {
        "patient": patient,
        "rows": rows,
        "protocols": protocol_choices(),
        "classes": class_choices(),  # the check form, written out in the template
    }
