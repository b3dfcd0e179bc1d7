"""Every read of consents: scoped to the actor's clinic, audited."""

from collections.abc import Iterable

from django.http import Http404

from mesoclinic.accounts.actor import Actor
from mesoclinic.audit.actions import record

from . import document
from .models import Consent
from .validity import ConsentStatus, status_of
from .versions import current_template, current_versions


def _consents():
    return Consent.objects.select_related(
        "template", "witnessed_by", "withdrawal", "withdrawal__withdrawn_by"
    )


def consents_for(actor: Actor, patient) -> list[Consent]:
    """The patient's consents, newest first, with their text versions and withdrawals."""
    actor.require("view_clinical")
    if patient.clinic_id != actor.clinic.id:
        raise Http404("no such patient")
    consents = list(_consents().filter(patient=patient))
    record(actor, "view", patient, patient=patient, summary="consents")
    return consents


def get_consent(actor: Actor, code, *, audit: str | None = "view") -> Consent:
    """The consent with this public code in the actor's clinic, or 404."""
    actor.require("view_clinical")
    try:
        consent = _consents().select_related("patient").get(code=code, patient__clinic=actor.clinic)
    except (Consent.DoesNotExist, ValueError, TypeError):
        raise Http404("no such consent") from None
    if audit:
        record(actor, audit, consent, patient=consent.patient)
    return consent


def consent_status(
    actor: Actor, patient, protocol: str, product_classes: Iterable[str] = ()
) -> ConsentStatus:
    """For the ready-to-treat gate: does a valid consent cover this protocol and these
    product classes? If not, the reasons, about the nearest consent on file."""
    consents = consents_for(actor, patient)
    return status_of(consents, protocol, product_classes, current_template(protocol).version)


def versions_for(consents: list[Consent]) -> dict[str, int]:
    """protocol -> current text version, for every protocol these consents were signed for."""
    return current_versions(c.template.protocol for c in consents)


def consents_of_patients(patient_ids) -> dict[int, list[Consent]]:
    """For the ready-to-treat gate over many patients (the day view): each patient's
    consents, newest first, in one query; the caller scopes the patients to its clinic."""
    out: dict[int, list[Consent]] = {}
    for c in (
        Consent.objects.filter(patient__in=list(patient_ids))
        .select_related("template", "withdrawal")
        .defer("template__body", "signature")  # large, and not needed for a status
    ):
        out.setdefault(c.patient_id, []).append(c)
    return out


def own_consents(actor: Actor) -> list[Consent]:
    """A patient actor's own consents, newest first (the portal)."""
    if actor.patient is None:
        raise Http404("no such patient")
    return list(
        Consent.objects.filter(patient=actor.patient).select_related("template", "withdrawal")
    )


def status_for(consents, protocol: str, product_classes: Iterable[str], version: int):
    """The consent rule (`validity.status_of`) over consents already read."""
    return status_of(consents, protocol, product_classes, version)


def text_versions(protocols: Iterable[str]) -> dict[str, int]:
    """protocol -> the current consent text's version."""
    return current_versions(protocols)


def current_text(protocol: str):
    """The consent text a patient signs today for this protocol."""
    return current_template(protocol)


def languages() -> list[str]:
    """The languages a consent text is shown in."""
    return document.languages()
