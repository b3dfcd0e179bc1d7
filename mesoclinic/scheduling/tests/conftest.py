import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from mesoclinic.outbox import sms
from tests.support import personas

ZONE = ZoneInfo("Europe/Istanbul")
TODAY = dt.date(2026, 12, 1)  # a Tuesday
NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=ZONE)


def at(day: dt.date, hhmm: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm), tzinfo=ZONE)


@pytest.fixture(autouse=True)
def _scheduling_env(settings, time_machine):
    time_machine.move_to(NOW, tick=False)
    settings.SMS_BACKEND = "mesoclinic.outbox.sms.LocmemBackend"
    # tasks run at once after the commit; the real worker has its own tests (test_worker)
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.DEFAULT_FROM_EMAIL = "clinic@example.org"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def clinic_setup(clinic_a, alice, nora, adam):
    """Clinic A opens Mon-Sat 09:00-18:00. Alice (physician) works Mon-Fri 09:00-17:00 and
    performs every protocol; Nora (nurse) works Mon-Sat and performs the face mesolift and
    hair protocols. Room 1 suits everything; Room 2 the face mesolift only."""
    from mesoclinic.engine.knowledge import load
    from mesoclinic.scheduling import resources

    act = personas.actor(adam)
    every = sorted(load().protocols)
    resources.set_opening_hours(act, "mon-sat 09:00-18:00")
    p_alice = resources.save_practitioner(act, alice, protocols=every, hours="mon-fri 09:00-17:00")
    p_nora = resources.save_practitioner(
        act, nora, protocols=["face-mesolift", "hair"], hours="mon-sat 09:00-18:00"
    )
    room1 = resources.save_room(act, name="Room 1", protocols=every)
    room2 = resources.save_room(act, name="Room 2", protocols=["face-mesolift"])
    return {"alice": p_alice, "nora": p_nora, "room1": room1, "room2": room2}


@pytest.fixture
def make_plan(nora):
    """A face mesolift plan (4 sessions, every 14-21 days) for a screened patient."""
    from mesoclinic.screening.actions import screen_patient
    from mesoclinic.treatments.actions import create_plan
    from tests.support.products import house_product

    def make(patient, protocol="face-mesolift", sessions=4, start=TODAY):
        act = personas.actor(nora)
        if patient.current_intake_id is None:
            personas.make_intake(act, patient)
        product = house_product(act)
        screening = screen_patient(act, patient, protocol, start, [product.as_engine_product()])
        return create_plan(
            act,
            patient,
            screening,
            start_date=start,
            sessions=sessions,
            products=[product],
            concerns=[],
            zones=[],
        )

    return make


@pytest.fixture
def reachable_patient(alice):
    return personas.make_patient(
        personas.actor(alice),
        given="Elif",
        family="Aydın",
        email="elif@example.org",
        phone="+90 555 123 4567",
    )
