"""Every read of screenings goes through here: scoped to the actor's clinic, audited.

Also the rules of validity, as pure functions of a record: a screening is valid for its
planned date only, and only while the medical history it read is the patient's current one.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from mesoclinic.accounts.actor import Actor
from mesoclinic.audit.actions import record as audit
from mesoclinic.engine.screening import RANK

from .models import Decision, ScreeningRecord

# Why a screening is or is not valid on a given day
CURRENT = "current"
INTAKE_CHANGED = "intake_changed"
PAST = "past"
FUTURE = "future"


def _records(actor: Actor) -> QuerySet[ScreeningRecord]:
    return ScreeningRecord.objects.filter(patient__clinic=actor.clinic).select_related(
        "created_by", "override", "override__physician"
    )


def _own_patient(actor: Actor, patient) -> None:
    if patient.clinic_id != actor.clinic.pk:
        raise Http404("no such patient")


def screenings_for(actor: Actor, patient, *, audit_as: str | None = "view") -> list:
    """All screenings of a patient, newest first, with any override: one query."""
    actor.require("view_clinical")
    _own_patient(actor, patient)
    found = list(_records(actor).filter(patient=patient))
    for r in found:
        r.patient = patient  # the caller's object: no query per record
    if audit_as:
        audit(actor, audit_as, patient=patient, summary=f"screenings ({len(found)})")
    return found


def get_screening(actor: Actor, code, *, audit_as: str | None = "view") -> ScreeningRecord:
    """The screening with this public code in the actor's clinic, or 404 (never another
    clinic's)."""
    actor.require("view_clinical")
    try:
        found = _records(actor).select_related("patient", "intake").get(code=code)
    except (ScreeningRecord.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404("no such screening") from None
    if audit_as:
        note_view(actor, found)
    return found


def note_view(actor: Actor, screening: ScreeningRecord) -> None:
    audit(actor, "view", screening, patient=screening.patient, summary="screening")


def current_screening(
    actor: Actor, patient, protocol: str, on_date: dt.date, *, audit_as: str | None = "view"
) -> ScreeningRecord | None:
    """The newest screening of `patient` for `protocol` that is valid on `on_date`, or None.
    The "ready to treat" gate asks this before a session starts."""
    actor.require("view_clinical")
    _own_patient(actor, patient)
    found = (
        _records(actor)
        .filter(
            patient=patient,
            protocol=protocol,
            planned_date=on_date,
            intake_id=patient.current_intake_id,  # None matches "screened without an intake"
        )
        .first()
    )
    if found is not None:
        found.patient = patient
        if audit_as:
            note_view(actor, found)
    return found


def currency(record: ScreeningRecord, patient, on_date: dt.date) -> str:
    """CURRENT, or why not: the medical history changed, the date passed, or is to come."""
    if record.intake_id != patient.current_intake_id:
        return INTAKE_CHANGED
    if record.planned_date < on_date:
        return PAST
    if record.planned_date > on_date:
        return FUTURE
    return CURRENT


def is_current(record: ScreeningRecord, patient, on_date: dt.date) -> bool:
    return currency(record, patient, on_date) == CURRENT


def decision_without_reviews(findings: list[dict]) -> str:
    """The most restrictive finding once every `review` is cleared by a physician."""
    rest = [f["decision"] for f in findings if f["decision"] != Decision.REVIEW]
    return max(rest, key=RANK.__getitem__, default=Decision.ELIGIBLE.value)


def effective_decision(record: ScreeningRecord) -> str:
    """The decision in force: the engine's, or, after a physician's override of a review,
    the most restrictive of the remaining findings (defer or eligible)."""
    override = record.override_or_none
    return override.decision if override is not None else record.decision


def day_screenings(patients: dict, day: dt.date) -> dict[tuple[int, str], ScreeningRecord]:
    """For the ready-to-treat gate over many patients (the day view): (patient id,
    protocol) -> the newest screening dated `day` on the patient's current medical history,
    in one query (the engine's whole answer deferred); the caller scopes the patients."""
    found: dict[tuple[int, str], ScreeningRecord] = {}
    for record in (
        ScreeningRecord.objects.filter(patient__in=list(patients), planned_date=day)
        .select_related("override")
        .defer("result")
        .order_by("-created_at", "-id")
    ):
        if record.intake_id == patients[record.patient_id].current_intake_id:
            found.setdefault((record.patient_id, record.protocol), record)
    return found


def decision_label(decision: str) -> str:
    return str(Decision(decision).label)
