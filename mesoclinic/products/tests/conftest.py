import pytest

from tests.support import personas
from tests.support.products import make_lot, make_product


@pytest.fixture
def act_nora(nora):
    return personas.actor(nora)


@pytest.fixture
def act_alice(alice):
    return personas.actor(alice)


@pytest.fixture
def product(act_nora):
    return make_product(act_nora)


@pytest.fixture
def lot(act_nora, product):
    return make_lot(act_nora, product)


@pytest.fixture
def vial(act_nora):
    """A multi-dose product (discard 24 hours after opening) and one lot of it."""
    p = make_product(
        act_nora,
        name="Vitamin cocktail",
        product_class="vitamin-cocktail",
        ingredients=["biotin", "dexpanthenol"],
        multi_dose=True,
        discard_after_opening_hours=24,
    )
    return make_lot(act_nora, p, lot_number="V-1", quantity="5")
