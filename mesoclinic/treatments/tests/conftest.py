import datetime as dt

import pytest

from tests.support import journeys, personas
from tests.support.products import make_lot, make_product
from tests.support.treatments import NOW, TODAY


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
    product, lot = booster
    return journeys.ready_plan(nora, patient, product, TODAY), product, lot
