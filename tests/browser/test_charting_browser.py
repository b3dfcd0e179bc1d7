"""Issue 4 in the browser: plan -> gate -> chart a face mesolift (11 points, 3 stages) ->
sign off -> amend; and a gate that refuses."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mesoclinic import testing
from tests.browser.conftest import shot, sign_in

POINTS = [  # (view index, x, y, stage, zone, technique, depth)
    (0, 0.50, 0.16, "1", "forehead", "papules", "1.0"),
    (0, 0.30, 0.43, "1", "cheeks", "epidermal-nappage", "0.5"),
    (0, 0.70, 0.43, "1", "cheeks", "papules", "1.0"),
    (0, 0.50, 0.55, "1", "perioral", "papules", "1.0"),
    (0, 0.50, 0.07, "2", "hairline", "linear", "2.0"),
    (0, 0.20, 0.24, "2", "temples", "papules", "2.0"),
    (0, 0.26, 0.58, "2", "jawline", "point-by-point", "2.0"),
    (1, 0.55, 0.60, "2", "jawline", "linear", "1.8"),
    (0, 0.41, 0.48, "3", "nasolabial", "papules", "1.0"),
    (0, 0.50, 0.18, "3", "forehead", "point-by-point", "1.5"),
    (2, 0.40, 0.30, "3", "periorbital", "papules", "1.0"),
]


@pytest.fixture
def cleared(nora, alice, clinic_a):
    from mesoclinic.patients.actions import register_patient
    from mesoclinic.products.testing import make_lot, make_product

    act = testing.actor(nora)
    patient = register_patient(
        act, {"given_name": "Elif", "family_name": "Kaya", "birth_date": dt.date(1988, 4, 9)}
    )
    testing.make_intake(act, patient)
    product = make_product(
        act,
        name="HA booster",
        product_class="ha-skin-booster",
        ingredients=["sodium hyaluronate"],
        patch_test_reading_minutes=30,
    )
    today = timezone.localdate()
    lot = make_lot(act, product, "HB-2026-11", expiry=today + dt.timedelta(days=300), quantity="20")
    return patient, product, lot, today


def test_plan_gate_chart_sign_and_amend(page, cleared, nora, alice):
    from mesoclinic.treatments.tests import conftest as tc

    patient, product, lot, today = cleared
    tc.TODAY, tc.NOW = today, timezone.now()  # clear for treatment as of the real clock
    screening = tc.clear_for_treatment(nora, patient, [product])

    sign_in(page, "alice", testing.PASSWORD)
    page.goto(page.base + f"/screening/{screening.code}/")
    shot(page, "10-screening-eligible")
    page.get_by_role("link", name="Make a treatment plan").click()
    page.get_by_label("Number of sessions").fill("4")
    page.get_by_label("HA booster").check()
    page.get_by_label("Target concerns (one per line)").fill("fine lines\ndull skin")
    shot(page, "11-plan-new")
    page.get_by_role("button", name="Create the plan").click()
    expect(page.get_by_text("Plan created.")).to_be_visible()
    expect(page.get_by_text("Session 0 of 4 done")).to_be_visible()
    expect(page.locator(".gate .missing")).to_have_count(0)
    shot(page, "12-plan-gate-ready")
    page.get_by_role("button", name="Start the session").click()
    expect(page.get_by_role("heading", name=re.compile("Session 1 of 4"))).to_be_visible()

    diagrams = page.locator("svg.diagram")
    for view, fx, fy, stage, zone, technique, depth in POINTS:
        diagram = diagrams.nth(view)
        diagram.scroll_into_view_if_needed()
        box = diagram.bounding_box()
        diagram.click(position={"x": box["width"] * fx, "y": box["height"] * fy})
        form = page.locator("#point-form")
        form.get_by_label("Stage").select_option(stage)
        form.get_by_label("Zone").select_option(zone)
        form.get_by_label("Technique").select_option(technique)
        form.get_by_label("Depth (mm)").fill(depth)
        form.get_by_label("Volume (mL)").fill("0.05")
        form.get_by_label("Product lot").select_option(str(lot.code))
        count = page.locator("svg.diagram .pt").count()
        form.get_by_role("button", name="Add point").click()
        expect(page.locator("svg.diagram .pt")).to_have_count(count + 1)
    expect(page.get_by_text("11 points")).to_be_visible()
    expect(page.locator("svg.diagram[data-view=left] .pt")).to_have_count(1)  # placed where clicked
    expect(page.locator("svg.diagram[data-view=right] .pt")).to_have_count(1)
    expect(page.locator(".totals").get_by_text("0.550 mL").first).to_be_visible()
    shot(page, "13-charted-11-points")

    # a point outside its zone's depth is refused, next to the field
    form = page.locator("#point-form")
    form.get_by_label("Stage").select_option("1")
    form.get_by_label("Zone").select_option("forehead")
    form.get_by_label("Technique").select_option("papules")
    form.get_by_label("Depth (mm)").fill("6")
    form.get_by_label("Volume (mL)").fill("0.05")
    form.get_by_role("button", name="Add point").click()
    expect(page.get_by_text("The depth for this zone is 0.5-2.0 mm.")).to_be_visible()
    expect(page.get_by_text("11 points")).to_be_visible()

    page.get_by_label("Pain score (0-10)").fill("3")
    page.get_by_role("button", name="Save details").click()
    expect(page.get_by_text("Session details saved.")).to_be_visible()
    page.get_by_role("button", name="Sign off").click()
    expect(page.get_by_text(re.compile("Signed off by Alice"))).to_be_visible()
    shot(page, "14-signed-off")

    page.get_by_role("link", name="Amend the record").click()
    page.get_by_label("Why is the record amended?").fill("Point 1 was charted twice by mistake")
    page.locator("input[name=remove]").first.check()
    page.get_by_role("button", name="Record the amendment").click()
    expect(page.get_by_text("Amendment recorded.")).to_be_visible()
    expect(page.get_by_text("Point 1 was charted twice by mistake")).to_be_visible()
    expect(page.get_by_text("10 points")).to_be_visible()
    shot(page, "15-amended")


def test_the_gate_refuses_and_says_why(page, cleared, nora):
    from mesoclinic.patchtests.actions import read_patch_test, record_patch_test
    from mesoclinic.screening.actions import screen_patient
    from mesoclinic.treatments.actions import create_plan

    patient, product, lot, today = cleared
    act = testing.actor(nora)
    screening = screen_patient(act, patient, "face-mesolift", today, [product.as_engine_product()])
    plan = create_plan(
        act,
        patient,
        screening,
        start_date=today,
        sessions=4,
        products=[product],
        concerns=[],
        zones=["forehead"],
    )
    test = record_patch_test(
        act,
        patient,
        substance=product.name,
        product_class=product.product_class,
        site="inner_forearm",
        applied_at=timezone.now() - dt.timedelta(hours=2),
        reading_minutes=30,
    )
    read_patch_test(act, test, result="positive", read_at=timezone.now() - dt.timedelta(minutes=5))
    from mesoclinic.products.models import Lot

    Lot.objects.filter(pk=lot.pk).update(
        expiry=today - dt.timedelta(days=1)
    )  # the only lot has expired
    sign_in(page, "nora", testing.PASSWORD)
    page.goto(page.base + f"/treatments/plans/{plan.code}/")
    missing = page.locator(".gate .missing")
    expect(missing).to_have_count(3)  # consent, patch test, lot
    expect(page.get_by_text(re.compile("no lot in stock that may be used"))).to_be_visible()
    expect(missing.first.get_by_role("link", name="Fix this")).to_be_visible()
    shot(page, "16-gate-refuses")
    page.get_by_role("button", name="Start the session").click()
    expect(page.locator(".messages .msg-error").first).to_be_visible()
    shot(page, "17-gate-refused-message")
    assert not plan.sessions.exists()
