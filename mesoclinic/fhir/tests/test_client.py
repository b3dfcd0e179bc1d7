"""A real FHIR client library (fhirclient, SMART on FHIR's Python client) reads and searches
through the running server with a clinic's token."""

from fhirclient import client as fhir_client
from fhirclient.models.bundle import Bundle
from fhirclient.models.observation import Observation
from fhirclient.models.patient import Patient
from fhirclient.models.procedure import Procedure

from mesoclinic.fhir import actions

from .conftest import enrich, staff


def test_fhirclient_reads_and_searches_the_running_api(live_server, demo_live):
    physician = staff("dr.demir")
    patient = enrich(demo_live, physician)
    _t, secret = actions.create_token(
        staff("admin.sahin"), name="fhirclient", scopes=["system/*.read"]
    )
    smart = fhir_client.FHIRClient(
        settings={"app_id": "mesoclinic-test", "api_base": f"{live_server.url}/fhir/"}
    )
    smart.server.session.headers["Authorization"] = f"Bearer {secret}"
    smart.prepare()  # reads and parses the CapabilityStatement
    assert smart.server.capabilityStatement.fhirVersion == "4.0.1"

    read = Patient.read(str(patient.code), smart.server)
    assert read.name[0].family == patient.family_name
    assert read.birthDate.isostring == patient.birth_date.isoformat()

    found = list(
        Patient.where(struct={"name": patient.given_name}).perform_resources_iter(smart.server)
    )
    assert str(patient.code) in {p.id for p in found}

    procedures = list(
        Procedure.where(struct={"patient": f"Patient/{patient.code}"}).perform_resources_iter(
            smart.server
        )
    )
    assert procedures and all(p.subject.reference == f"Patient/{patient.code}" for p in procedures)
    assert procedures[0].bodySite and procedures[0].performedPeriod.start is not None

    gais = list(
        Observation.where(
            struct={"patient": str(patient.code), "date": f"ge{patient.birth_date.isoformat()}"}
        ).perform_resources_iter(smart.server)
    )
    assert any(o.valueInteger == 2 for o in gais)

    everything = Bundle.read_from(f"Patient/{patient.code}/$everything", smart.server)
    types = {e.resource.resource_type for e in everything.entry}
    assert {"Patient", "Procedure", "Media", "AdverseEvent", "Medication"} <= types
