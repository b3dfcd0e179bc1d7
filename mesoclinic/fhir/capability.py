"""The CapabilityStatement at /fhir/metadata: what this server reads and searches."""

from .search import DATE_OF

SP = "http://hl7.org/fhir/SearchParameter"
EVERYTHING = "http://hl7.org/fhir/OperationDefinition/Patient-everything"
TYPES = [
    "Patient",
    "Questionnaire",
    "QuestionnaireResponse",
    "AllergyIntolerance",
    "Condition",
    "MedicationStatement",
    "Consent",
    "CarePlan",
    "Appointment",
    "Procedure",
    "Medication",
    "Media",
    "Observation",
    "AdverseEvent",
    "DetectedIssue",
]


def _param(name: str, kind: str, doc: str) -> dict:
    return {"name": name, "type": kind, "documentation": doc}


def _params(resource_type: str) -> list[dict]:
    out = [
        _param("_id", "token", "The resource's id (a UUID)."),
        _param("identifier", "token", "urn:mesoclinic:fhir:id|<uuid>, or the value alone."),
    ]
    if resource_type == "Patient":
        return out + [
            _param("name", "string", "Parts of the name, any order, accent-insensitive."),
            _param("family", "string", "Part of the family name."),
            _param("given", "string", "Part of the given name."),
            _param("birthdate", "date", "eq (or no prefix), lt, le, gt, ge."),
            _param("gender", "token", "female | male | other | unknown"),
        ]
    if resource_type == "Questionnaire":
        return out[:1]
    out.append(_param("patient", "reference", "Required: Patient/<id>. One patient at a time."))
    if resource_type in DATE_OF:
        out.append(
            _param(
                "date",
                "date",
                f"Prefixes eq ne lt le gt ge; on {', '.join(DATE_OF[resource_type])}.",
            )
        )
    return out


def capability_statement(base: str) -> dict:
    resources = []
    for t in TYPES:
        entry = {
            "type": t,
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "searchParam": _params(t),
        }
        if t == "Patient":
            entry["operation"] = [{"name": "everything", "definition": EVERYTHING}]
        resources.append(entry)
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-12-05",
        "publisher": "Mesoclinic",
        "kind": "instance",
        "software": {"name": "Mesoclinic"},
        "implementation": {"description": "Mesoclinic FHIR R4 API (read-only)", "url": base},
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "documentation": "Read-only. Codes and extensions: docs/fhir.md.",
                "security": {
                    "description": "A bearer token made by a clinic admin (per clinic, scoped "
                    "to resource types as system/<Type>.read or system/*.read, revocable), or "
                    "a signed-in staff session. Every read is audited."
                },
                "resource": resources,
            }
        ],
    }
