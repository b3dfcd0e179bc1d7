"""Every write of patient records: one transaction, one audit entry."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mesoclinic.accounts.actor import Actor
from mesoclinic.accounts.roles import Role
from mesoclinic.audit.actions import record
from mesoclinic.lib.forms import NoControlCharacters
from mesoclinic.lib.language import offered
from mesoclinic.lib.refusals import Forbidden, Refused

from .models import IntakeSource, IntakeVersion, Patient

DEMOGRAPHICS = ("given_name", "family_name", "birth_date", "sex", "phone", "email", "language")
ONE_LINE = ("given_name", "family_name", "phone", "email")


def _one_line(data: dict[str, Any]) -> None:
    """A name, phone or e-mail address is one line without control characters, whatever
    the way in (a form checks it too; an import or a script may not)."""
    errors = {}
    for field in ONE_LINE:
        try:
            NoControlCharacters()(data.get(field))
        except ValidationError as exc:
            errors[field] = exc.messages
    if errors:
        raise Refused(errors)


@transaction.atomic
def register_patient(actor: Actor, data: dict[str, Any]) -> Patient:
    actor.require("edit_demographics")
    _one_line(data)
    patient = Patient.objects.create(
        clinic=actor.clinic, **{f: data[f] for f in DEMOGRAPHICS if f in data}
    )
    record(actor, "create", patient, patient=patient, summary="registered")
    return patient


@transaction.atomic
def update_demographics(actor: Actor, patient: Patient, data: dict[str, Any]) -> Patient:
    actor.require("edit_demographics")
    _one_line(data)
    changed = {
        f: str(data[f]) for f in DEMOGRAPHICS if f in data and data[f] != getattr(patient, f)
    }
    for field in changed:
        setattr(patient, field, data[field])
    if changed:
        patient.save(update_fields=list(changed))
        record(
            actor,
            "update",
            patient,
            patient=patient,
            summary="demographics",
            detail={"changed": sorted(changed)},
        )
    return patient


@transaction.atomic
def set_language(actor: Actor, patient: Patient, language: str) -> Patient:
    """The patient's preferred language (every message, the portal, the aftercare sheet):
    set by staff who edit demographics, or by the patient in the portal (their own only)."""
    if actor.role == Role.PATIENT:
        own = actor.patient
        if own is None or own.pk != patient.pk:
            raise PermissionDenied("another patient's record")
    else:
        actor.require("edit_demographics")
    if patient.clinic_id != actor.clinic.pk:
        raise PermissionDenied("another clinic's patient")
    if language not in offered(patient.clinic):
        raise ValidationError({"language": [_("The clinic does not offer this language.")]})
    if patient.language != language:
        before = patient.language
        patient.language = language
        patient.save(update_fields=["language"])
        record(
            actor,
            "update",
            patient,
            patient=patient,
            summary="preferred language",
            detail={"changed": {"language": [before, language]}},
        )
    return patient


@transaction.atomic
def record_intake(
    actor: Actor,
    patient: Patient,
    *,
    answers: dict[str, Any],
    fitzpatrick: str = "",
    medicines: list[dict] | None = None,
    conditions: list[str] | None = None,
    notes: str = "",
    source: str = IntakeSource.STAFF,
) -> IntakeVersion:
    """A new version of the medical history. Later screenings of the patient stop being
    current, because they were made on the previous version."""
    if source == IntakeSource.STAFF:
        actor.require("record_clinical")
    elif source == IntakeSource.PHONE:  # accounts/roles.py: take_phone_intake
        if not actor.can("record_clinical"):
            actor.require("take_phone_intake")
            if Patient.objects.filter(pk=patient.pk, current_intake__isnull=False).exists():
                raise Forbidden(
                    _(
                        "This patient already has a medical history on file: a physician "
                        "or nurse updates it."
                    ),
                    "phone intake only for a patient without one",
                )
    else:  # a portal intake is the patient's own, never another's
        own = actor.patient
        if own is None or own.pk != patient.pk:
            raise PermissionDenied("a portal intake is the patient's own")
    locked = Patient.objects.select_for_update().get(pk=patient.pk)  # one new number at a time
    last = locked.intakes.order_by("-number").values_list("number", flat=True).first() or 0
    version = IntakeVersion.objects.create(
        patient=locked,
        number=last + 1,
        answers=answers,
        fitzpatrick=fitzpatrick,
        medicines=medicines or [],
        conditions=conditions or [],
        notes=notes,
        source=source,
        created_by=actor.user,
    )
    locked.current_intake = version
    locked.save(update_fields=["current_intake"])
    patient.current_intake = version
    how = " taken by phone" if source == IntakeSource.PHONE else ""
    record(
        actor, "create", version, patient=patient, summary=f"intake version {version.number}{how}"
    )
    return version


def record_own_intake(actor: Actor, patient: Patient, **fields) -> IntakeVersion:
    """A medical history filled in by the patient in the portal (source: portal); the
    patient actor's own record only (record_intake checks)."""
    return record_intake(actor, patient, source=IntakeSource.PORTAL, **fields)
