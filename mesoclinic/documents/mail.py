"""The documents a patient is sent by e-mail, as PDF attachments (the outbox sends them):
the signed consent, after signing (its own message, "consent_copy"); the aftercare
sheet's PDF, added to the aftercare e-mail follow-up already sends. Rendered at send time
from the stored records; the attachment is never kept in the outbox row.
"""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from mesoclinic.consent.models import Consent
from mesoclinic.followup.models import AftercareSheet
from mesoclinic.lib.links import absolute as site_url
from mesoclinic.lib.pdf import render_pdf, safe_filename
from mesoclinic.outbox import actions as outbox
from mesoclinic.outbox import kinds

from . import build

CONSENT_COPY = "consent_copy"
AFTERCARE = "aftercare"  # follow-up's kind (followup.messages.AFTERCARE)
PDF = "application/pdf"


def _pdf(doc: build.Document) -> tuple[str, bytes, str]:
    return (
        safe_filename(doc.filename),
        render_pdf(doc.template, doc.context, language=doc.language),
        PDF,
    )


def consent_copy_letter(message) -> kinds.Letter:
    consent = (
        Consent.objects.select_related("template", "patient__clinic", "witnessed_by__membership")
        .filter(pk=message.about_id)
        .first()
    )
    if consent is None:
        raise kinds.Stale("consent not found")
    doc = build.consent_document(consent)
    with translation.override(doc.language):
        context = {**doc.context, "portal": site_url(reverse("portal:home"))}
        subject = render_to_string("documents/email/consent_subject.txt", context).strip()
        body = render_to_string("documents/email/consent.txt", context)
    return kinds.Letter(subject, body, attachments=(_pdf(doc),))


def aftercare_attachment(message) -> list[tuple[str, bytes, str]]:
    sheet = (
        AftercareSheet.objects.select_related("patient__clinic", "session")
        .filter(pk=message.about_id)
        .first()
    )
    return [_pdf(build.aftercare_document(sheet))] if sheet is not None else []


def on_consent_signed(sender, *, consent, actor, **kwargs) -> None:
    """consent.signals.consent_signed: the patient's copy."""
    send_consent_copy(consent)


def send_consent_copy(consent) -> None:
    """After the signing commits: the patient's copy by e-mail, when they have an address."""
    patient = consent.patient
    if patient.email:
        outbox.create(
            f"consent_copy:{consent.code}",
            CONSENT_COPY,
            clinic=patient.clinic,
            patient=patient,
            channel=outbox.Channel.EMAIL,
            about=consent,
        )


def register() -> None:
    kinds.register(CONSENT_COPY, label=_("Copy of the signed consent"), render=consent_copy_letter)
    kinds.attach(AFTERCARE, aftercare_attachment)
