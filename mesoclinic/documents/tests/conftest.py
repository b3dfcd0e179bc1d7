import pytest

from mesoclinic.treatments.tests.conftest import (  # noqa: F401  (fixtures)
    TODAY,
    _frozen,
    booster,
)
from tests.support import journeys


@pytest.fixture(autouse=True)
def _documents_env(settings, tmp_path, clinic_a):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.SMS_BACKEND = "mesoclinic.outbox.sms.LocmemBackend"
    settings.DEFAULT_FROM_EMAIL = "clinic@example.org"
    settings.FOLLOWUP_FILES_ROOT = tmp_path / "followup-files"
    clinic_a.phone = "+90 212 555 01 23"
    clinic_a.save()


@pytest.fixture
def plan(nora, patient, booster):  # noqa: F811
    product, _lot = booster
    return journeys.ready_plan(nora, patient, product, TODAY)


@pytest.fixture
def lot(booster):  # noqa: F811
    return booster[1]


@pytest.fixture
def session(nora, plan, lot):
    return journeys.signed_session(nora, plan, lot)
