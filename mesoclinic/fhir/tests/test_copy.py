"""The patient's own copy: one zip with the FHIR Bundle, the photos under consent, the
registered documents and a README in the patient's language; audited; for the patient in
the portal and for clinical staff."""

import io
import json
import zipfile

import pytest
from fhir.resources.R4B.bundle import Bundle

from mesoclinic.audit.models import AuditEvent
from mesoclinic.fhir import documents
from tests.support import personas
from tests.support.journeys import portal_user


def unzip(response) -> zipfile.ZipFile:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="records-')
    return zipfile.ZipFile(io.BytesIO(response.content))


@pytest.fixture
def provider():
    def sample_documents(actor, patient):
        return [(f"summary {patient.code}.pdf", b"%PDF-1.7 sample"), ("../evil.pdf", b"x")]

    documents.register(sample_documents)
    yield sample_documents
    documents.unregister(sample_documents)


def test_the_patient_downloads_everything_in_their_language(
    client, rich_patient, physician, provider
):
    rich_patient.language = "tr"
    rich_patient.save(update_fields=["language"])
    client.force_login(portal_user(physician.user, rich_patient))
    page = client.get("/records/mine")
    assert page.status_code == 200 and "Kayıtlarınızın bir kopyası" in page.content.decode()
    archive = unzip(client.post("/records/mine"))
    names = archive.namelist()
    bundle = json.loads(archive.read("record.json"))
    Bundle.model_validate(bundle)
    assert bundle["type"] == "collection"
    types = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert {"Patient", "Procedure", "Media", "Observation", "Consent", "CarePlan"} <= types
    photos = [n for n in names if n.startswith("photos/")]
    assert len(photos) == 1 and archive.read(photos[0])[:2] == b"\xff\xd8"  # a JPEG
    media = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Media")
    assert media["content"]["url"] == photos[0]
    docs = sorted(n for n in names if n.startswith("documents/"))
    assert {"documents/evil.pdf", f"documents/summary-{rich_patient.code}.pdf"} <= set(docs)
    pdfs = [n for n in docs if archive.read(n).startswith(b"%PDF-") and "evil" not in n
            and "summary-" not in n]  # fmt: skip
    assert len(pdfs) >= 3  # the documents app's: consents, session records, summary
    readme = archive.read("README.txt").decode()
    assert rich_patient.clinic.name in readme and "FHIR" in readme
    assert "fotoğraf" in readme.lower()  # Turkish, the patient's language
    export = AuditEvent.objects.filter(action="export", patient_code=rich_patient.code).latest("id")
    assert export.role == "patient" and export.detail["photos"] == 1


def test_withdrawn_photo_consent_keeps_photos_out(client, rich_patient, physician):
    from mesoclinic.photos.actions import withdraw_consent
    from mesoclinic.photos.models import PhotoConsent

    withdraw_consent(physician, PhotoConsent.objects.get(patient=rich_patient))
    client.force_login(physician.user)
    assert client.get(f"/records/patients/{rich_patient.code}/copy").status_code == 200
    archive = unzip(client.post(f"/records/patients/{rich_patient.code}/copy"))
    assert not [n for n in archive.namelist() if n.startswith("photos/")]
    bundle = json.loads(archive.read("record.json"))
    assert "Media" not in {e["resource"]["resourceType"] for e in bundle["entry"]}
    export = AuditEvent.objects.filter(action="export", patient_code=rich_patient.code).latest("id")
    assert export.username == "dr.demir"


def test_a_failing_document_is_named_not_a_server_error(client, alice, nora):
    def broken(actor, patient):
        raise RuntimeError("renderer down")

    patient = personas.make_patient(personas.actor(alice))
    documents.register(broken)
    try:
        client.force_login(nora)
        archive = unzip(client.post(f"/records/patients/{patient.code}/copy"))
    finally:
        documents.unregister(broken)
    assert "broken" in archive.read("README.txt").decode()
    assert json.loads(archive.read("record.json"))["entry"][0]["resource"]["id"] == str(
        patient.code
    )


def test_only_clinical_staff_of_the_clinic_make_the_copy(client, alice, frank, charlie):
    patient = personas.make_patient(personas.actor(alice))
    url = f"/records/patients/{patient.code}/copy"
    client.force_login(frank)
    assert client.post(url).status_code == 403
    client.force_login(charlie)
    assert client.post(url).status_code == 404
    client.logout()
    assert client.post(url).status_code == 302  # to sign in
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_portal_copy_is_for_patients_only(client, alice):
    client.force_login(alice)
    assert client.get("/records/mine").status_code == 403


def test_a_photo_file_gone_from_disk_is_named_and_the_rest_delivered(
    client, rich_patient, physician, settings
):
    from pathlib import Path

    from mesoclinic.photos.models import Photo

    photo = Photo.objects.get(patient=rich_patient)
    (Path(settings.PHOTOS_ROOT) / photo.file).unlink()
    client.force_login(physician.user)
    archive = unzip(client.post(f"/records/patients/{rich_patient.code}/copy"))
    assert not [n for n in archive.namelist() if n.startswith("photos/")]
    assert "photos/" in archive.read("README.txt").decode().split("ask the clinic")[-1]
    assert json.loads(archive.read("record.json"))["entry"]
