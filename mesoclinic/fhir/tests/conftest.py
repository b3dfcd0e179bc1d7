"""The demo clinic, with one patient given every kind of record the API serves (the demo
itself takes no photos and has no side effects or scores): a photo under a photo consent,
a graded adverse event and a GAIS score on a signed session."""

import io

import pytest
from django.core.management import call_command

from mesoclinic.accounts.actor import Actor
from mesoclinic.accounts.models import Clinic, User
from tests.photo.conftest import face, no_landmarks  # noqa: F401

DEMO_PATIENTS = 12


def jpeg() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(face(256)).save(buf, "JPEG", quality=90)
    return buf.getvalue()


def _demo(settings, tmp_path):
    settings.DEBUG = True
    settings.PHOTOS_ROOT = tmp_path / "photos"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    with open("/dev/null", "w") as sink:
        call_command("demo", patients=DEMO_PATIENTS, stdout=sink)
    return Clinic.objects.get(name="Demo Mesotherapy Clinic")


@pytest.fixture
def demo(db, settings, tmp_path, no_landmarks):  # noqa: F811
    return _demo(settings, tmp_path)


@pytest.fixture
def demo_live(transactional_db, settings, tmp_path, no_landmarks):  # noqa: F811
    """The demo for tests that run the server (live_server: committed data)."""
    return _demo(settings, tmp_path)


def staff(username: str) -> Actor:
    return Actor.for_user(User.objects.get(username=username), "127.0.0.1", "pytest")


@pytest.fixture
def physician(demo):
    return staff("dr.demir")


@pytest.fixture
def rich_patient(demo, physician):
    return enrich(demo, physician)


def enrich(demo, physician):
    """A demo patient with a signed session, given a photo, a side effect and a GAIS score."""
    from mesoclinic.followup.actions import record_gais, report_side_effect, update_adverse_event
    from mesoclinic.lib import clinicday
    from mesoclinic.photos.actions import record_consent, upload_photo
    from mesoclinic.treatments.models import TreatmentSession

    session = (
        TreatmentSession.objects.filter(patient__clinic=demo, status="signed")
        .select_related("patient")
        .order_by("signed_at")
        .first()
    )
    patient = session.patient
    today = clinicday.today(demo)
    record_consent(
        physician, patient, scope="patient", signer_name=patient.full_name, signed_on=today
    )
    upload_photo(physician, patient, data=jpeg(), view="front", taken_on=today, session=session,
                 accept_issues=True)  # fmt: skip
    event = report_side_effect(physician, session, symptoms=["redness"], severity="mild")
    update_adverse_event(physician, event, {"ctcae_grade": 1, "outcome": "recovering",
                                            "actions_taken": "cool compress"})  # fmt: skip
    record_gais(physician, session, score=2, rated_on=today)
    patient.refresh_from_db()
    return patient
