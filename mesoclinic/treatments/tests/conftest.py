import datetime as dt

import pytest

from tests.support import personas
from tests.support.products import make_lot, make_product
from tests.support.treatments import NOW, TODAY, clear_for_treatment


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=True)


@pytest.fixture
def booster(nora):
    act = personas.actor(nora)
    product = make_product(
        act,
        name="HA booster",
        product_class="ha-skin-booster",
        ingredients=["sodium hyaluronate", "vitamin C"],
        patch_test_reading_minutes=30,
    )
    lot = make_lot(act, product, "HB-1", expiry=TODAY + dt.timedelta(days=200), quantity="20")
    return product, lot


@pytest.fixture
def ready(nora, patient, booster):
    """A patient with a plan whose gate is open today."""
    from mesoclinic.treatments.actions import create_plan

    product, lot = booster
    personas.make_intake(personas.actor(nora), patient)
    screening = clear_for_treatment(nora, patient, [product])
    plan = create_plan(
        personas.actor(nora),
        patient,
        screening,
        start_date=TODAY,
        sessions=4,
        products=[product],
        concerns=["fine lines"],
        zones=["forehead", "cheeks"],
    )
    return plan, product, lot
