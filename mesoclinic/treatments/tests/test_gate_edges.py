"""The gate names a screening that is not eligible, a screening without a planned
product, and a product with no usable lot; the session does not start."""

import datetime as dt

import pytest

from mesoclinic.products.models import Lot
from mesoclinic.treatments import actions
from mesoclinic.treatments.gate import check_gate
from tests.support import personas
from tests.support.treatments import TODAY


def _closed(nora, plan) -> dict[str, str]:
    return {
        i.key.split(":")[0]: i.message for i in check_gate(personas.actor(nora), plan) if not i.ok
    }


def test_a_screening_of_today_that_is_not_eligible_closes_the_gate(ready, nora):
    from mesoclinic.screening.actions import screen_patient

    plan, product, _lot = ready
    act = personas.actor(nora)
    personas.make_intake(act, plan.patient, pregnant=True)
    screen_patient(act, plan.patient, "face-mesolift", TODAY, [product.as_engine_product()])
    closed = _closed(nora, plan)
    assert list(closed) == ["screening"]
    assert closed["screening"].startswith("Today's screening says ")
    with pytest.raises(actions.Refused):
        actions.start_session(act, plan)
    assert not plan.sessions.exists()


def test_a_screening_without_the_planned_product_closes_the_gate(ready, nora):
    from mesoclinic.screening.actions import screen_patient

    plan, product, _lot = ready
    act = personas.actor(nora)
    screen_patient(act, plan.patient, "face-mesolift", TODAY, [])  # the newest: no products
    closed = _closed(nora, plan)
    assert closed == {"screening": f"Today's screening did not include: {product.name}."}


def test_a_product_without_a_usable_lot_closes_the_gate(ready, nora):
    plan, product, lot = ready
    Lot.objects.filter(pk=lot.pk).update(expiry=TODAY - dt.timedelta(days=1))
    closed = _closed(nora, plan)
    assert list(closed) == ["lot"]
    assert closed["lot"].startswith(f"{product.name}: no lot in stock that may be used")
    with pytest.raises(actions.Refused):
        actions.start_session(personas.actor(nora), plan)
