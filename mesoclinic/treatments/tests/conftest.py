import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from mesoclinic import testing

TODAY = dt.date(2026, 12, 1)
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/Istanbul"))


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=True)


@pytest.fixture
def booster(nora):
    from mesoclinic.products.testing import make_lot, make_product

    act = testing.actor(nora)
    product = make_product(
        act,
        name="HA booster",
        product_class="ha-skin-booster",
        ingredients=["sodium hyaluronate", "vitamin C"],
        patch_test_reading_minutes=30,
    )
    lot = make_lot(act, product, "HB-1", expiry=TODAY + dt.timedelta(days=200), quantity="20")
    return product, lot


def clear_for_treatment(user, patient, products, protocol="face-mesolift"):
    """Screen today with the products, sign consent, read a negative patch test for each."""
    from mesoclinic.consent.actions import sign_consent
    from mesoclinic.consent.versions import current_template
    from mesoclinic.patchtests.actions import read_patch_test, record_patch_test
    from mesoclinic.screening.actions import screen_patient

    act = testing.actor(user)
    screening = screen_patient(
        act, patient, protocol, TODAY, [p.as_engine_product() for p in products]
    )
    sign_consent(
        act,
        patient,
        template=current_template(protocol),
        product_classes=sorted({p.product_class for p in products}),
        signer_name=patient.full_name,
        typed_signature=True,
    )
    for p in products:
        if p.patch_test_reading_minutes:
            test = record_patch_test(
                act,
                patient,
                substance=p.name,
                product_class=p.product_class,
                site="inner_forearm",
                applied_at=NOW - dt.timedelta(hours=2),
                reading_minutes=p.patch_test_reading_minutes,
            )
            read_patch_test(act, test, result="negative", read_at=NOW - dt.timedelta(minutes=30))
    return screening


@pytest.fixture
def ready(nora, patient, booster):
    """A patient with a plan whose gate is open today."""
    from mesoclinic.treatments.actions import create_plan

    product, lot = booster
    testing.make_intake(testing.actor(nora), patient)
    screening = clear_for_treatment(nora, patient, [product])
    plan = create_plan(
        testing.actor(nora),
        patient,
        screening,
        start_date=TODAY,
        sessions=4,
        products=[product],
        concerns=["fine lines"],
        zones=["forehead", "cheeks"],
    )
    return plan, product, lot


def point(lot, **kw):
    data = {
        "stage": 1,
        "view": "front",
        "x": 50.0,
        "y": 20.0,
        "zone": "forehead",
        "technique": "papules",
        "depth_mm": "1.0",
        "volume_ml": "0.050",
        "lot": lot,
    }
    data.update(kw)
    return data
