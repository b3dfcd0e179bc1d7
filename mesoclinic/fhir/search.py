"""Reads and searches of the API: which patient a resource id belongs to, the search
parameters each type takes, and filtering the built resources by them."""

import datetime as dt
import re
import uuid

from django.http import Http404

from mesoclinic.consent.models import Consent
from mesoclinic.engine.knowledge import load
from mesoclinic.followup.models import AdverseEvent, GaisScore
from mesoclinic.patients import access as patient_access
from mesoclinic.patients.models import IntakeVersion, Patient
from mesoclinic.photos.models import Photo, PhotoConsent
from mesoclinic.products.models import Lot
from mesoclinic.scheduling.models import Appointment
from mesoclinic.screening.models import ScreeningRecord
from mesoclinic.treatments.models import SessionPoint, TreatmentPlan, TreatmentSession

from . import codes as c
from . import map_intake
from . import map_intake as m


class BadRequest(ValueError):
    """A search parameter or id the server cannot use: 400 with an OperationOutcome."""


# the date search parameter of each type: the element it reads
DATE_OF = {
    "QuestionnaireResponse": ("authored",),
    "AllergyIntolerance": ("recordedDate",),
    "Condition": ("recordedDate",),
    "MedicationStatement": ("effectiveDateTime", "dateAsserted"),
    "Consent": ("dateTime",),
    "CarePlan": ("period.start",),
    "Appointment": ("start",),
    "Procedure": ("performedPeriod.start",),
    "Media": ("createdDateTime",),
    "Observation": ("effectiveDateTime",),
    "AdverseEvent": ("date",),
    "DetectedIssue": ("identifiedDateTime",),
}
COMMON = {"_id", "identifier", "_count", "_format"}
PATIENT_PARAMS = COMMON | {"name", "family", "given", "birthdate", "gender"}
PATIENT_LINKED = COMMON | {"patient", "subject", "date"}
_DATE = re.compile(
    r"^(eq|ne|lt|le|gt|ge|sa|eb)?(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T[0-9:.+Z-]*)?$"
)


def as_uuid(value: str, what: str = "id") -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404(f"no such {what}") from None


def patient_ref(value: str) -> uuid.UUID:
    """`Patient/<id>` or `<id>` (the patient and subject parameters)."""
    raw = value.removeprefix("Patient/")
    if "/" in raw:
        raise BadRequest(f"patient must be Patient/<id>, not {value!r}")
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise BadRequest(f"patient: {raw!r} is not a patient id (a UUID)") from None


# --- read: which patient a resource belongs to ----------------------------------------------


def _owner(model, clinic_path: str, actor, code, patient_path: str = "patient"):
    row = (
        model.objects.filter(**{clinic_path: actor.clinic, "code": code})
        .values_list(f"{patient_path}__code", flat=True)
        .first()
    )
    return row


def _intake_owner(actor, code, kind: str):
    """Derived ids (one allergy of the current intake): look through the clinic's current
    medical histories, building each one's resources of that kind (no other store)."""

    build = {
        "AllergyIntolerance": m.allergies,
        "Condition": m.conditions,
        "MedicationStatement": m.medication_statements,
    }[kind]
    k = load()
    wanted = str(code)
    rows = Patient.objects.filter(clinic=actor.clinic, current_intake__isnull=False).select_related(
        "current_intake"
    )
    for p in rows.iterator(chunk_size=500):
        if any(r["id"] == wanted for r in build(k, p.current_intake, p.code)):
            return p.code
    return None


def owner_of(actor, resource_type: str, code: uuid.UUID):
    """The public code of the patient a resource belongs to, in the actor's clinic, or None."""
    clinic = "patient__clinic"
    if resource_type == "Patient":
        return code  # read through patients.access.get_patient (the clinic's check)
    if resource_type == "QuestionnaireResponse":
        return _owner(IntakeVersion, clinic, actor, code)
    if resource_type in ("AllergyIntolerance", "Condition", "MedicationStatement"):
        return _intake_owner(actor, code, resource_type)
    if resource_type == "Consent":
        return _owner(Consent, clinic, actor, code) or _owner(PhotoConsent, clinic, actor, code)
    if resource_type == "CarePlan":
        return _owner(TreatmentPlan, clinic, actor, code)
    if resource_type == "Appointment":
        return _owner(Appointment, "clinic", actor, code)
    if resource_type == "Procedure":
        return _owner(TreatmentSession, clinic, actor, code)
    if resource_type in ("Media",):
        return _owner(Photo, clinic, actor, code)
    if resource_type == "Observation":
        return _owner(GaisScore, clinic, actor, code) or _owner(Photo, clinic, actor, code)
    if resource_type == "AdverseEvent":
        return _owner(AdverseEvent, "clinic", actor, code)
    if resource_type == "DetectedIssue":
        return _owner(ScreeningRecord, clinic, actor, code)
    if resource_type == "Medication":
        # a lot is the clinic's; it is read in the context of a patient who received it
        if not Lot.objects.filter(code=code, product__clinic=actor.clinic).exists():
            return None
        point = (
            SessionPoint.objects.filter(lot__code=code, session__patient__clinic=actor.clinic)
            .values_list("session__patient__code", flat=True)
            .first()
        )
        return point
    return None


# --- search ---------------------------------------------------------------------------------


def _date_range(value: str) -> tuple[str, dt.date, dt.date]:
    m = _DATE.match(value)
    if not m:
        raise BadRequest(
            f"date: {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD with a prefix)"
        )
    prefix = m.group(1) or "eq"
    year, month, day = int(m.group(2)), m.group(3), m.group(4)
    try:
        if day:
            lo = hi = dt.date(year, int(month), int(day))
        elif month:
            lo = dt.date(year, int(month), 1)
            hi = (lo.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        else:
            lo, hi = dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        raise BadRequest(f"date: {value!r} is not a real date") from None
    return prefix, lo, hi


def _date_matches(prefix: str, lo: dt.date, hi: dt.date, value: str | None) -> bool:
    if not value:
        return False
    d = dt.date.fromisoformat(value[:10])
    return {
        "eq": lo <= d <= hi,
        "ne": not lo <= d <= hi,
        "lt": d < lo,
        "eb": d < lo,
        "le": d <= hi,
        "gt": d > hi,
        "sa": d > hi,
        "ge": d >= lo,
    }[prefix]


def _element(resource: dict, path: str):
    value = resource
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _identifier_matches(resource: dict, wanted: str) -> bool:
    system, bar, value = wanted.rpartition("|")
    ids = resource.get("identifier") or []
    ids = [ids] if isinstance(ids, dict) else ids
    for i in ids:
        if i.get("value") == value and (not bar or not system or i.get("system") == system):
            return True
    return False


def filter_resources(resource_type: str, resources: list[dict], params: dict[str, list[str]]):
    out = resources
    for value in params.get("_id", []):
        out = [r for r in out if r["id"] in value.split(",")]
    for value in params.get("identifier", []):
        out = [r for r in out if any(_identifier_matches(r, v) for v in value.split(","))]
    for value in params.get("date", []):
        paths = DATE_OF.get(resource_type)
        if not paths:
            raise BadRequest(f"{resource_type} has no date search parameter")
        prefix, lo, hi = _date_range(value)
        out = [r for r in out if any(_date_matches(prefix, lo, hi, _element(r, p)) for p in paths)]
    return out


def check_params(resource_type: str, params: dict[str, list[str]]) -> None:
    allowed = PATIENT_PARAMS if resource_type == "Patient" else PATIENT_LINKED
    if resource_type not in DATE_OF and resource_type != "Patient":
        allowed = allowed - {"date"}
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise BadRequest(
            f"{resource_type} cannot be searched by {', '.join(unknown)}; "
            f"it takes {', '.join(sorted(allowed))}"
        )


def search_patients(actor, params: dict[str, list[str]], limit: int) -> list[Patient]:
    """Patients of the actor's clinic by name (parts, accent-insensitive), family, given,
    birthdate, gender, identifier and _id."""
    actor.require("view_demographics")
    qs = patient_access.patients_for(actor).select_related("current_intake")
    words = " ".join(params.get("name", []) + params.get("family", []) + params.get("given", []))
    if words.strip():
        codes = [p.pk for p in patient_access.search(actor, words, limit=1000)]
        qs = qs.filter(pk__in=codes)
    for value in params.get("birthdate", []):
        prefix, lo, hi = _date_range(value)
        lookups = {
            "eq": {"birth_date__range": (lo, hi)},
            "lt": {"birth_date__lt": lo},
            "le": {"birth_date__lte": hi},
            "gt": {"birth_date__gt": hi},
            "ge": {"birth_date__gte": lo},
        }
        if prefix not in lookups:
            raise BadRequest(f"birthdate: the prefix {prefix!r} is not supported here")
        qs = qs.filter(**lookups[prefix])
    for value in params.get("gender", []):
        wanted = [g for g, fhir in map_intake.GENDER.items() if fhir in value.split(",")]
        qs = qs.filter(sex__in=wanted)
    for key in ("_id", "identifier"):
        for value in params.get(key, []):
            codes = []
            for v in value.split(","):
                system, bar, raw = v.rpartition("|")
                if bar and system and system != c.ID_SYSTEM:
                    continue
                try:
                    codes.append(uuid.UUID(raw))
                except ValueError:
                    continue
            qs = qs.filter(code__in=codes)
    return list(qs.order_by("family_name", "given_name", "id")[:limit])
