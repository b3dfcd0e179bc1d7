"""Factories for products and lots, through the real actions (any app's tests:
`from tests.support.products import make_product, make_lot`)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from mesoclinic.accounts.actor import Actor
from mesoclinic.products.models import Lot, Product


def product_data(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Hyaluronic booster",
        "maker": "Acme Aesthetics",
        "product_class": "ha-skin-booster",
        "ingredients": ["sodium hyaluronate", "vitamin C"],
        "vehicle": "aqueous",
        "patch_test_reading_minutes": None,
        "unit": "mL",
        "multi_dose": False,
        "discard_after_opening_hours": None,
        "low_stock_threshold": Decimal("5"),
        **overrides,
    }


def make_product(act: Actor, **overrides: Any) -> Product:
    from mesoclinic.products.actions import create_product

    return create_product(act, product_data(**overrides))


def make_lot(
    act: Actor,
    product: Product,
    lot_number: str = "L001",
    expiry: dt.date | None = None,
    quantity: Any = "10",
) -> Lot:
    from mesoclinic.lib import clinicday
    from mesoclinic.products.actions import receive_lot

    expiry = expiry or clinicday.today(act.clinic) + dt.timedelta(days=365)
    return receive_lot(act, product, lot_number=lot_number, expiry=expiry, quantity=quantity)


def house_product(act: Actor) -> Product:
    """The clinic's plain skin booster (no patch test) with a lot in stock, made on first
    use: for plans whose cocktail a test does not look at (a plan needs a product)."""
    found = Product.objects.filter(clinic=act.clinic, name="House skin booster").first()
    if found:
        return found
    product = make_product(
        act,
        name="House skin booster",
        product_class="ha-skin-booster",
        ingredients=["sodium hyaluronate"],
    )
    make_lot(act, product, "HOUSE-1", quantity="100")
    return product
