"""Every resource type the API returns validates against the R4B models of fhir.resources,
and a demo patient's $everything round-trips through them."""

import json
from collections import Counter

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.operationoutcome import OperationOutcome

from mesoclinic.audit.models import AuditEvent
from mesoclinic.fhir.capability import TYPES
from mesoclinic.patients.models import Patient

JSON = "application/fhir+json"


def validate(resource: dict):
    model = get_fhir_model_class(resource["resourceType"])
    return model.model_validate(resource)


def diff(a, b, path=""):
    """The first path where two JSON values differ, or None."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            found = diff(a.get(key), b.get(key), f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = diff(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if a == b else f"{path}: {a!r} != {b!r}"


def get(client, url, **params):
    response = client.get(url, params)
    assert response["Content-Type"].startswith(JSON), response["Content-Type"]
    return response, json.loads(response.content)


@pytest.fixture
def staff_client(client, physician):
    client.force_login(physician.user)
    return client


def test_every_type_of_every_demo_patient_validates_and_round_trips(
    staff_client, demo, rich_patient
):
    seen = Counter()
    for patient in Patient.objects.filter(clinic=demo):
        response, data = get(staff_client, f"/fhir/Patient/{patient.code}/$everything")
        assert response.status_code == 200, data
        bundle = Bundle.model_validate(data)  # the whole Bundle, every entry by its type
        again = json.loads(bundle.model_dump_json())
        assert diff(again, data) is None  # nothing lost or changed on the way through the models
        for entry in data["entry"]:
            seen[entry["resource"]["resourceType"]] += 1
            assert entry["fullUrl"].endswith(
                f"/{entry['resource']['resourceType']}/{entry['resource']['id']}"
            )
    assert set(seen) == set(TYPES), set(TYPES) - set(seen)


def test_each_type_read_and_searched_by_patient_validates(staff_client, rich_patient):
    _response, everything = get(staff_client, f"/fhir/Patient/{rich_patient.code}/$everything")
    by_type = Counter(e["resource"]["resourceType"] for e in everything["entry"])
    for entry in everything["entry"]:
        r = entry["resource"]
        response, read = get(staff_client, f"/fhir/{r['resourceType']}/{r['id']}")
        assert response.status_code == 200, (r["resourceType"], read)
        assert read == r
        validate(read)
    for resource_type, n in by_type.items():
        if resource_type == "Questionnaire":
            continue
        params = {} if resource_type == "Patient" else {"patient": f"Patient/{rich_patient.code}"}
        if resource_type == "Patient":
            params = {"identifier": str(rich_patient.code)}
        response, found = get(staff_client, f"/fhir/{resource_type}", **params)
        assert response.status_code == 200, found
        Bundle.model_validate(found)
        assert found["total"] == n


def test_the_procedure_carries_sites_route_technique_depth_and_lots(staff_client, rich_patient):
    _r, bundle = get(staff_client, "/fhir/Procedure", patient=str(rich_patient.code))
    procedure = bundle["entry"][0]["resource"]
    route = next(e for e in procedure["extension"] if e["url"].endswith(":route"))
    assert route["valueCodeableConcept"]["coding"][0] == {
        "system": "http://snomed.info/sct", "code": "372464004", "display": "Intradermal route"
    }  # fmt: skip
    snomed = {
        c["code"] for site in procedure["bodySite"] for c in site["coding"]
        if c["system"] == "http://snomed.info/sct"
    }  # fmt: skip
    assert snomed & {"52795006", "60819002", "30291003"}  # forehead, cheek, chin
    points = [e for e in procedure["extension"] if e["url"].endswith(":injection-point")]
    assert points
    parts = {p["url"]: p for p in points[0]["extension"]}
    assert parts["depth"]["valueQuantity"]["code"] == "mm"
    assert parts["lot"]["valueReference"]["reference"].startswith("Medication/")
    lot_id = parts["lot"]["valueReference"]["reference"].split("/")[1]
    _r, medication = get(staff_client, f"/fhir/Medication/{lot_id}")
    assert medication["batch"]["lotNumber"] and medication["batch"]["expirationDate"]


def test_adverse_event_has_its_ctcae_grade_and_issue_cites_sources(
    staff_client, rich_patient, demo
):
    _r, events = get(staff_client, "/fhir/AdverseEvent", patient=str(rich_patient.code))
    event = events["entry"][0]["resource"]
    grade = [e for e in event["extension"] if e["url"].endswith(":ctcae-grade")]
    assert grade == [{"url": grade[0]["url"], "valueInteger": 1}]
    issues = []
    for patient in Patient.objects.filter(clinic=demo):
        _r, found = get(staff_client, "/fhir/DetectedIssue", patient=str(patient.code))
        issues += [e["resource"] for e in found["entry"]]
    assert issues
    for issue in issues:
        sources = [x for ev in issue["evidence"] for x in ev.get("extension", [])]
        assert sources and all(s["valueString"] for s in sources), issue["id"]


def test_media_leaves_with_its_consent_withdrawn(staff_client, rich_patient, physician):
    from mesoclinic.photos.actions import withdraw_consent
    from mesoclinic.photos.models import PhotoConsent

    _r, before = get(staff_client, "/fhir/Media", patient=str(rich_patient.code))
    assert before["total"] == 1
    media_id = before["entry"][0]["resource"]["id"]
    withdraw_consent(physician, PhotoConsent.objects.get(patient=rich_patient))
    _r, after = get(staff_client, "/fhir/Media", patient=str(rich_patient.code))
    assert after["total"] == 0
    response, outcome = get(staff_client, f"/fhir/Media/{media_id}")
    assert response.status_code == 404
    OperationOutcome.model_validate(outcome)


def test_searches_by_name_birthdate_identifier_and_date(staff_client, rich_patient):
    _r, found = get(staff_client, "/fhir/Patient", name=rich_patient.family_name.lower())
    assert str(rich_patient.code) in {e["resource"]["id"] for e in found["entry"]}
    _r, found = get(staff_client, "/fhir/Patient", birthdate=rich_patient.birth_date.isoformat())
    assert str(rich_patient.code) in {e["resource"]["id"] for e in found["entry"]}
    _r, found = get(staff_client, "/fhir/Patient", birthdate=f"gt{rich_patient.birth_date.year}")
    assert str(rich_patient.code) not in {e["resource"]["id"] for e in found["entry"]}
    _r, procs = get(staff_client, "/fhir/Procedure", patient=str(rich_patient.code))
    first = procs["entry"][0]["resource"]["performedPeriod"]["start"][:10]
    _r, on_day = get(staff_client, "/fhir/Procedure", patient=str(rich_patient.code), date=first)
    assert on_day["total"] >= 1
    assert all(e["resource"]["performedPeriod"]["start"].startswith(first) for e in on_day["entry"])
    _r, none = get(staff_client, "/fhir/Procedure", patient=str(rich_patient.code), date="lt1990")
    assert none["total"] == 0
    response, bad = get(
        staff_client, "/fhir/Procedure", patient=str(rich_patient.code), date="soon"
    )
    assert response.status_code == 400 and "date" in bad["issue"][0]["diagnostics"]
    response, bad = get(staff_client, "/fhir/Procedure", code="x", patient=str(rich_patient.code))
    assert response.status_code == 400 and "code" in bad["issue"][0]["diagnostics"]


def test_metadata_is_a_capability_statement(client):
    response, data = get(client, "/fhir/metadata")
    assert response.status_code == 200
    CapabilityStatement.model_validate(data)
    listed = {r["type"] for r in data["rest"][0]["resource"]}
    assert listed == set(TYPES)


def test_every_api_read_is_audited(staff_client, rich_patient):
    before = AuditEvent.objects.filter(patient_code=rich_patient.code).count()
    get(staff_client, f"/fhir/Patient/{rich_patient.code}")
    get(staff_client, "/fhir/Procedure", patient=str(rich_patient.code))
    get(staff_client, f"/fhir/Patient/{rich_patient.code}/$everything")
    events = AuditEvent.objects.filter(patient_code=rich_patient.code).order_by("id")[before:]
    fhir = [e for e in events if e.summary.startswith("FHIR ")]
    assert [e.action for e in fhir] == ["view", "search", "export"]
    assert fhir[2].detail["resources"] > 10 and fhir[0].username == "dr.demir"
