import datetime as dt

import pytest

from mesoclinic.treatments.tests.conftest import (  # noqa: F401  (fixtures)
    NOW,
    TODAY,
    _frozen,
    booster,
)
from tests.support import journeys, personas

ON_CALL = "on-call@clinic-a.example"


@pytest.fixture(autouse=True)
def _followup_env(settings, tmp_path, clinic_a):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.SMS_BACKEND = "mesoclinic.outbox.sms.LocmemBackend"
    settings.DEFAULT_FROM_EMAIL = "clinic@example.org"
    settings.FOLLOWUP_FILES_ROOT = tmp_path / "followup-files"
    clinic_a.on_call_email = ON_CALL
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


@pytest.fixture
def later(time_machine):
    """Move the clock `days` (and `hours`) past NOW."""

    def move(days=0, hours=0):
        time_machine.move_to(NOW + dt.timedelta(days=days, hours=hours), tick=False)

    return move


@pytest.fixture
def nurse(nora):
    return personas.actor(nora)
