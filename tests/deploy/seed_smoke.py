"""Seed the smoke test's database (run as a script against DATABASE_URL): a clinic, a
physician, a patient cleared for treatment today and a plan. Prints JSON for the test."""

import datetime as dt
import json

import django

django.setup()

from django.utils import timezone  # noqa: E402

from mesoclinic.accounts.models import Clinic  # noqa: E402
from mesoclinic.lib import clinicday  # noqa: E402
from mesoclinic.treatments.actions import create_plan  # noqa: E402
from tests.support import personas  # noqa: E402
from tests.support.products import make_lot, make_product  # noqa: E402
from tests.support.treatments import clear_for_treatment  # noqa: E402

clinic = Clinic.objects.create(name="Smoke Clinic", timezone="Europe/Istanbul")
alice = personas.make_user("alice", clinic, "physician")
act = personas.actor(alice)
now = timezone.now()
today = clinicday.local_date(now, clinic)
product = make_product(
    act,
    name="HA booster",
    product_class="ha-skin-booster",
    ingredients=["sodium hyaluronate"],
    patch_test_reading_minutes=30,
)
lot = make_lot(act, product, "SMOKE-1", expiry=today + dt.timedelta(days=200), quantity="20")
patient = personas.make_patient(act, "Smoke", "Patient")
personas.make_intake(act, patient)
screening = clear_for_treatment(alice, patient, [product], today=today, now=now)
plan = create_plan(
    act,
    patient,
    screening,
    start_date=today,
    sessions=4,
    products=[product],
    concerns=["fine lines"],
    zones=["forehead"],
)
print(json.dumps({"plan": str(plan.code), "lot": str(lot.code), "password": personas.PASSWORD}))
