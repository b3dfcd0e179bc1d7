"""Every read of patient data goes through here: scoped to the actor's clinic, audited."""

import datetime as dt
import re

from django.db.models import Q, QuerySet
from django.http import Http404

from mesoclinic.accounts.actor import Actor
from mesoclinic.audit.actions import record
from mesoclinic.engine.knowledge import normalize

from .models import IntakeVersion, Patient, digits

_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$|^(\d{1,2})[./](\d{1,2})[./](\d{4})$")


def patients_for(actor: Actor) -> QuerySet[Patient]:
    return Patient.objects.filter(clinic=actor.clinic)


def get_patient(actor: Actor, code, *, audit: str | None = "view") -> Patient:
    """The patient with this public code in the actor's clinic, or 404 (never another clinic's)."""
    actor.require("view_demographics")
    try:
        patient = patients_for(actor).select_related("current_intake").get(code=code)
    except (Patient.DoesNotExist, ValueError, TypeError):
        raise Http404("no such patient") from None
    if audit:
        record(actor, audit, patient, patient=patient)
    return patient


def _as_date(token: str) -> dt.date | None:
    m = _DATE.match(token)
    if not m:
        return None
    try:
        if m.group(1):
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return dt.date(int(m.group(6)), int(m.group(5)), int(m.group(4)))
    except ValueError:
        return None


def search(actor: Actor, query: str, limit: int = 50) -> list[Patient]:
    """Name parts, phone digits and a birth date (YYYY-MM-DD or DD.MM.YYYY), in any order;
    partial and accent-insensitive. An empty query lists the most recent patients."""
    actor.require("view_demographics")
    qs = patients_for(actor)
    tokens = query.split()
    for token in tokens:
        when = _as_date(token)
        if when:
            qs = qs.filter(birth_date=when)
            continue
        number = digits(token)
        if len(number) >= 3 and len(number) >= len(token) - 2:
            qs = qs.filter(phone_digits__contains=number)
            continue
        qs = qs.filter(search_name__contains=normalize(token))
    if not tokens:
        qs = qs.order_by("-created_at", "-id")
    found = list(qs[:limit])
    record(actor, "search", summary=f"{len(found)} found", detail={"query": query[:100]})
    return found


def possible_duplicates(
    actor: Actor, *, given_name: str, family_name: str, birth_date, phone: str = ""
) -> list[Patient]:
    """Patients of the clinic who may be this person: the same name (accents and case
    ignored) and date of birth, or the same phone number."""
    actor.require("view_demographics")
    found = list(duplicates_query(actor.clinic, given_name, family_name, birth_date, phone))
    found.sort(key=lambda p: (p.family_name, p.given_name, p.id))
    if found:
        record(actor, "search", summary=f"possible duplicates: {len(found)}")
    return found


def duplicates_query(clinic, given_name, family_name, birth_date, phone) -> QuerySet[Patient]:
    """possible_duplicates' query: equality on (clinic, search_name, birth_date) and on
    (clinic, phone_digits), each an index of its own (Patient.Meta). Unordered (the caller
    sorts the few rows): an ORDER BY on the name would let a planner walk the clinic's
    name index instead."""
    same = Q(clinic=clinic, search_name=normalize(f"{given_name} {family_name}"))
    same &= Q(birth_date=birth_date)
    number = digits(phone or "")
    if len(number) >= 6:
        same |= Q(clinic=clinic, phone_digits=number)
    return Patient.objects.filter(same).order_by()[:10]


def intake_history(actor: Actor, patient: Patient) -> list[IntakeVersion]:
    actor.require("view_clinical")
    versions = list(patient.intakes.select_related("created_by"))
    record(actor, "view", patient, patient=patient, summary="intake history")
    return versions


def patient_by_codes(codes):
    """The patient, of any clinic, whose code is one of `codes` (a URL's UUIDs), or None:
    for the audit of a refused attempt, in the asker's log and the patient's clinic's
    (audit.attempts)."""
    return Patient.objects.filter(code__in=codes).only("id", "code", "clinic_id").first()
