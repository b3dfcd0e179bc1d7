"""E-mails, sent by Django's tasks framework after the commit. Arguments are primitives
(codes as strings); a task that runs late, or twice, still does the right thing."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from mesoclinic.lib import clinicday

from .models import AftercareSheet, ClinicAlert

log = logging.getLogger(__name__)


def site_url(path: str) -> str:
    """An absolute link when SITE_URL is set (e.g. https://clinic.example.org), else the path."""
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


@task()
def send_aftercare(code: str) -> str:
    """The aftercare sheet of a signed session, to the patient."""
    sheet = (
        AftercareSheet.objects.select_related("patient__clinic", "session")
        .filter(code=code)
        .first()
    )
    if sheet is None:
        return "missing"
    patient = sheet.patient
    if not patient.email:
        return "no address"
    with translation.override(sheet.language), clinicday.activated(patient.clinic):
        from .sheets import sheet_context

        context = {**sheet_context(sheet), "portal": site_url(reverse("portal:home"))}
        subject = render_to_string("followup/email/aftercare_subject.txt", context).strip()
        body = render_to_string("followup/email/aftercare.txt", context)
    EmailMessage(subject, body, from_email=settings.DEFAULT_FROM_EMAIL, to=[patient.email]).send()
    return "sent"


@task()
def send_on_call_alert(code: str) -> str:
    """A side effect above "expected", to the clinic's on-call address; sent once."""
    alert = (
        ClinicAlert.objects.select_related(
            "clinic", "adverse_event__patient", "adverse_event__session"
        )
        .filter(code=code)
        .first()
    )
    if alert is None:
        return "missing"
    to = alert.clinic.on_call_email
    if not to:
        log.warning("clinic %s has no on-call e-mail address: alert %s", alert.clinic.code, code)
        return "no address"
    with transaction.atomic():
        claimed = ClinicAlert.objects.filter(pk=alert.pk, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
    if not claimed:
        return "already sent"
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
    try:
        EmailMessage(
            subject,
            body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
            headers={"X-Priority": "1", "Importance": "high"},
        ).send()
    except Exception:
        ClinicAlert.objects.filter(pk=alert.pk).update(notified_at=None)  # retried later
        raise
    return "sent"
