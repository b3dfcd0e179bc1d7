"""Code systems, extensions and small builders of FHIR datatypes (docs/fhir.md lists them).

Local codes live under one URN namespace, so they never pretend to be a published system.
Standard codes are used where the research confirmed them
(shared research, clinical-evidence.md §6): SNOMED CT body sites and routes, HL7
terminology for consent scopes and categories, the FHIR R4 value sets of each element.
"""

import datetime as dt
import uuid

LOCAL = "urn:mesoclinic:fhir"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
LOINC = "http://loinc.org"

# local code systems
CS_PROTOCOL = f"{LOCAL}:CodeSystem:protocol"
CS_ZONE = f"{LOCAL}:CodeSystem:zone"
CS_TECHNIQUE = f"{LOCAL}:CodeSystem:technique"
CS_FACT = f"{LOCAL}:CodeSystem:intake-fact"
CS_SUBSTANCE = f"{LOCAL}:CodeSystem:substance"
CS_PRODUCT_CLASS = f"{LOCAL}:CodeSystem:product-class"
CS_PHOTO_SCOPE = f"{LOCAL}:CodeSystem:photo-consent-scope"
CS_PHOTO_VIEW = f"{LOCAL}:CodeSystem:photo-view"
CS_MEASURE = f"{LOCAL}:CodeSystem:photo-measure"
CS_REGION = f"{LOCAL}:CodeSystem:photo-region"
CS_SCALE = f"{LOCAL}:CodeSystem:scale"
CS_SYMPTOM = f"{LOCAL}:CodeSystem:symptom"
CS_RULE = f"{LOCAL}:CodeSystem:screening-rule"
CS_DECISION = f"{LOCAL}:CodeSystem:screening-decision"
CS_APPOINTMENT_TYPE = f"{LOCAL}:CodeSystem:appointment-type"
CS_TRIAGE = f"{LOCAL}:CodeSystem:triage-level"

# identifier systems: the public UUID of each record
ID_SYSTEM = f"{LOCAL}:id"

# extensions
EXT = f"{LOCAL}:StructureDefinition"
EXT_ROUTE = f"{EXT}:route"
EXT_POINT = f"{EXT}:injection-point"
EXT_TECHNIQUE = f"{EXT}:technique"
EXT_DEPTH = f"{EXT}:depth"
EXT_VOLUME = f"{EXT}:volume"
EXT_ZONE = f"{EXT}:zone"
EXT_SIDE = f"{EXT}:side"
EXT_LOT = f"{EXT}:lot"
EXT_CTCAE = f"{EXT}:ctcae-grade"
EXT_TRIAGE = f"{EXT}:triage-level"
EXT_SOURCE = f"{EXT}:source"
EXT_KNOWLEDGE = f"{EXT}:knowledge-version"
EXT_INTERVAL = f"{EXT}:session-interval"
EXT_MAINTENANCE = f"{EXT}:maintenance-interval"
EXT_SESSIONS = f"{EXT}:sessions-planned"
EXT_CONSENT_VERSION = f"{EXT}:consent-text-version"
EXT_RECALLED = f"{EXT}:recalled"
EXT_RATER = f"{EXT}:rater"
EXT_FITZPATRICK = f"{EXT}:fitzpatrick-skin-type"

# SNOMED CT routes (clinical-evidence.md §6.1, confirmed)
ROUTE_INTRADERMAL = ("372464004", "Intradermal route")
ROUTE_TRANSDERMAL = ("45890007", "Transdermal route")
ROUTE_TOPICAL = ("6064005", "Topical route")
ROUTE_BY_TECHNIQUE = {"electroporation": ROUTE_TRANSDERMAL, "microneedling": ROUTE_TOPICAL}

# namespace of the ids derived from a record (one allergy of an intake, say)
NAMESPACE = uuid.UUID("6f1c3d2e-8a4b-5c6d-9e0f-1a2b3c4d5e6f")


def derived_id(parent_code, kind: str, index: int) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{parent_code}/{kind}/{index}"))


def coding(system: str, code: str, display: str | None = None) -> dict:
    out = {"system": system, "code": str(code)}
    if display:
        out["display"] = str(display)
    return out


def concept(*codings: dict, text: str | None = None) -> dict:
    out: dict = {}
    if codings:
        out["coding"] = list(codings)
    if text:
        out["text"] = str(text)
    return out


def ref(resource_type: str, code, display: str | None = None) -> dict:
    out = {"reference": f"{resource_type}/{code}"}
    if display:
        out["display"] = str(display)
    return out


def identifier(code) -> list[dict]:
    return [{"system": ID_SYSTEM, "value": str(code)}]


def instant(value: dt.datetime | None) -> str | None:
    """An aware datetime as FHIR instant/dateTime (seconds, with the offset)."""
    if value is None:
        return None
    text = value.replace(microsecond=0).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def quantity(value, unit: str, ucum: str | None = None) -> dict:
    out = {"value": float(value), "unit": unit}
    if ucum:
        out |= {"system": UCUM, "code": ucum}
    return out


def clean(resource: dict) -> dict:
    """Drop empty values (FHIR forbids empty strings, lists and objects)."""
    out = {}
    for key, value in resource.items():
        if isinstance(value, dict):
            value = clean(value)
        elif isinstance(value, list):
            value = [clean(v) if isinstance(v, dict) else v for v in value]
            value = [v for v in value if v not in (None, "", {}, [])]
        if value in (None, "", {}, []):
            continue
        out[key] = value
    return out
