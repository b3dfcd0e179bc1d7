"""Follow-up's messages, sent by the outbox (registered in apps.py): the aftercare sheet of
a signed session, to the patient; a side effect above "expected", to the clinic's on-call
address. Rendered when sent, in the sheet's language (the alert in the clinic's default
language); the outbox retries them when the mail server is down and shows the staff any
it gives up on.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from mesoclinic.lib import clinicday
from mesoclinic.lib.links import absolute as site_url
from mesoclinic.outbox import kinds

from .models import AftercareSheet, ClinicAlert
from .sheets import sheet_context

AFTERCARE = "aftercare"
ON_CALL_ALERT = "on_call_alert"


def aftercare_letter(message) -> kinds.Letter:
    """The aftercare sheet of a signed session, to the patient's e-mail address."""
    sheet = (
        AftercareSheet.objects.select_related("patient__clinic", "session")
        .filter(pk=message.about_id)
        .first()
    )
    if sheet is None:
        raise kinds.Stale("aftercare sheet not found")
    with translation.override(sheet.language), clinicday.activated(sheet.patient.clinic):
        context = {**sheet_context(sheet), "portal": site_url(reverse("portal:home"))}
        subject = render_to_string("followup/email/aftercare_subject.txt", context).strip()
        body = render_to_string("followup/email/aftercare.txt", context)
    return kinds.Letter(subject, body)


def on_call_letter(message) -> kinds.Letter:
    """A side effect above "expected", to the clinic's on-call address, marked urgent."""
    alert = (
        ClinicAlert.objects.select_related(
            "clinic", "adverse_event__patient", "adverse_event__session"
        )
        .filter(pk=message.about_id)
        .first()
    )
    if alert is None:
        raise kinds.Stale("alert not found")
    if alert.acknowledged_at is not None:
        raise kinds.Stale("alert acknowledged in the meantime")
    to = alert.clinic.on_call_email
    if not to:
        raise kinds.Undeliverable("the clinic has no on-call e-mail address")
    event = alert.adverse_event
    context = {
        "alert": alert,
        "event": event,
        "patient": event.patient,
        "link": site_url(reverse("followup:event", args=[event.code])),
        "dashboard": site_url(reverse("followup:alerts")),
    }
    with translation.override(settings.LANGUAGE_CODE), clinicday.activated(alert.clinic):
        subject = render_to_string("followup/email/on_call_subject.txt", context).strip()
        body = render_to_string("followup/email/on_call.txt", context)
    return kinds.Letter(subject, body, to=to, headers={"X-Priority": "1", "Importance": "high"})


def on_call_sent(message) -> None:
    """The alert records when its on-call e-mail went out."""
    ClinicAlert.objects.filter(pk=message.about_id, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )


def register() -> None:
    kinds.register(AFTERCARE, label=_("Aftercare sheet"), render=aftercare_letter)
    kinds.register(
        ON_CALL_ALERT, label=_("On-call alert"), render=on_call_letter, on_sent=on_call_sent
    )
