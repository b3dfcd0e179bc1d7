"""Fixtures shared by the billing and dashboard tests: a booster with a lot, clinic A's price
list, a ready plan and a signed first session, at the fixed test time."""

import datetime as dt
from decimal import Decimal

import pytest

from mesoclinic.billing import actions
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
def prices(adam, booster):
    """Clinic A's price list: 20 % VAT (prices include it), a face-mesolift session at
    1 500.00 and the booster at 400.00 per mL, and a 4-session package at 5 000.00."""
    act = personas.actor(adam)
    vat = actions.add_vat_rate(act, "KDV 20", Decimal("20"), default=True)
    actions.set_price(act, "face-mesolift", "session", 150000, vat)
    actions.set_price(act, "face-mesolift", "per_ml", 40000, vat, product=booster[0])
    offer = actions.create_offer(act, "Face mesolift x4", "face-mesolift", 4, 500000, vat)
    return vat, offer


@pytest.fixture
def plan(nora, patient, booster):
    product, lot = booster
    return journeys.ready_plan(nora, patient, product, TODAY)


@pytest.fixture
def signed(nora, plan, booster, django_capture_on_commit_callbacks):
    """A signed first session (one point of 0.05 mL), the sign-off hooks run."""
    with django_capture_on_commit_callbacks(execute=True):
        return journeys.signed_session(nora, plan, booster[1])
