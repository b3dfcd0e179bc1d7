"""Charting in the browser, in English and Turkish: plan -> gate -> chart a face mesolift
over its three stages -> sign off -> amend; a gate that refuses; points drawn where they
were clicked on both halves of the face; the settings kept for the next click; and the
interactions a user spends per injection point, with copy-forward and a template."""

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import SHOTS, shot, sign_in
from tests.support import personas
from tests.support.treatments import seal_lifted

# (view, x, y in the diagram's units (viewBox 0 0 100 130), stage, technique, depth, zone, side)
POINTS = [
    ("front", 45, 21, "1", "papules", "1.0", "forehead", "right"),
    ("front", 30, 56, "1", "epidermal-nappage", "0.5", "cheeks", "right"),
    ("front", 70, 56, "1", "papules", "1.0", "cheeks", "left"),
    ("front", 55, 72, "1", "papules", "1.0", "perioral", "left"),
    ("front", 45, 9, "2", "linear", "2.0", "hairline", "right"),
    ("front", 20, 31, "2", "papules", "2.0", "temples", "right"),
    ("front", 26, 75, "2", "point-by-point", "2.0", "jawline", "right"),
    ("left", 55, 80, "2", "linear", "1.8", "jawline", "left"),
    ("front", 41, 62, "3", "papules", "1.0", "nasolabial", "right"),
    ("front", 56, 23, "3", "point-by-point", "1.5", "forehead", "left"),
    ("right", 61, 39, "3", "papules", "1.0", "periorbital", "right"),
]


@pytest.fixture
def cleared(nora, alice, clinic_a, monkeypatch):
    from mesoclinic.patients.actions import register_patient
    from tests.support import treatments as tc
    from tests.support.products import make_lot, make_product

    act = personas.actor(nora)
    patient = register_patient(
        act, {"given_name": "Elif", "family_name": "Kaya", "birth_date": dt.date(1988, 4, 9)}
    )
    personas.make_intake(act, patient)
    product = make_product(
        act,
        name="HA booster",
        product_class="ha-skin-booster",
        ingredients=["sodium hyaluronate"],
        patch_test_reading_minutes=30,
    )
    today = timezone.localdate()
    lot = make_lot(act, product, "HB-2026-11", expiry=today + dt.timedelta(days=300), quantity="20")
    # clear for treatment as of the real clock
    monkeypatch.setattr(tc, "TODAY", today)
    monkeypatch.setattr(tc, "NOW", timezone.now())
    return patient, product, lot, today


def open_session(nora, product, given="Deniz", family="Aksoy"):
    """Another patient of the clinic, cleared, with a plan and session 1 open."""
    from mesoclinic.engine.knowledge import load
    from mesoclinic.patients.actions import register_patient
    from mesoclinic.treatments.actions import create_plan, start_session
    from tests.support import treatments as tc

    act = personas.actor(nora)
    patient = register_patient(
        act, {"given_name": given, "family_name": family, "birth_date": dt.date(1985, 2, 3)}
    )
    personas.make_intake(act, patient)
    screening = tc.clear_for_treatment(nora, patient, [product])
    plan = create_plan(
        act,
        patient,
        screening,
        start_date=tc.TODAY,
        sessions=4,
        products=[product],
        concerns=[],
        zones=[z.id for z in load().protocols["face-mesolift"].zones],
    )
    return plan, start_session(act, plan)


def use_language(page, lang: str) -> None:
    """The language switch in the page header, as a user changes it."""
    if page.locator("html").get_attribute("lang") != lang:
        page.locator("#lang-select").select_option(lang)
        page.locator("form.lang button").click()
    expect(page.locator("html")).to_have_attribute("lang", lang)


class Tally:
    """What a user does. `actions`: a click, a choice from a list, or a value typed into a
    field, 1 each. `events`: every pointer click and key press (a list choice is 2 clicks:
    open, pick; typing a value is a click in the field, select-all, then one per key)."""

    def __init__(self):
        self.actions = 0
        self.events = 0

    def click(self, locator, **kw):
        locator.click(**kw)
        self.actions += 1
        self.events += 1

    def choose(self, locator, value: str):
        locator.select_option(value)
        self.actions += 1
        self.events += 2

    def type(self, locator, text: str):
        locator.click()
        locator.press("Control+a")
        locator.press_sequentially(text)
        self.actions += 1
        self.events += 2 + len(text)

    fill = type


def swapped(page, action) -> None:
    """Do `action` and wait until htmx has swapped in the chart it sent back. (Polled from
    here: the page's CSP refuses the eval that page.wait_for_function needs.)"""
    page.evaluate("window.oldChart = document.getElementById('charting')")
    action()
    for _ in range(150):
        if page.evaluate(
            "document.getElementById('charting') !== window.oldChart"
            " && !document.querySelector('.htmx-request, .htmx-settling')"
        ):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the chart was not sent back")


def points_drawn(page) -> dict[str, str]:
    """data-n -> the point's transform, for every point drawn."""
    return page.eval_on_selector_all(
        "svg.diagram .pt",
        "gs => Object.fromEntries(gs.map(g => [g.closest('svg').dataset.view + ':' + "
        "g.getAttribute('transform'), g.dataset.n]))",
    )


def click_diagram(page, tally, view: str, x: float, y: float, *, adds: bool = True):
    """Click a diagram at (x, y) in its own units. Checks the page does not scroll and,
    when a point is added, that it is drawn where the click landed. Returns the new
    point's circle centre and the click, in page pixels."""
    svg = page.locator(f'svg.diagram[data-view="{view}"]')
    svg.scroll_into_view_if_needed()
    box = svg.bounding_box()
    at = {"x": box["width"] * x / 100, "y": box["height"] * y / 130}
    before = points_drawn(page)
    scrolled = page.evaluate("window.scrollY")
    swapped(page, lambda: tally.click(svg, position=at))
    if adds:
        expect(page.locator("svg.diagram .pt")).to_have_count(len(before) + 1)
    else:
        expect(page.locator("#chart-status [role=alert]")).to_be_visible()
        expect(page.locator("svg.diagram .pt")).to_have_count(len(before))
        expect(page.locator("svg.diagram .pending-pt")).to_have_count(0)
    assert page.evaluate("window.scrollY") == scrolled, "the click scrolled the page"
    assert svg.bounding_box()["y"] == box["y"], "the diagram moved on the page"
    if not adds:
        return None
    new = [k for k in points_drawn(page) if k not in before]
    assert len(new) == 1 and new[0].startswith(view + ":")
    transform = new[0].split(":", 1)[1]
    assert re.fullmatch(r"translate\(\d+(\.\d+)? \d+(\.\d+)?\)", transform), transform
    circle = svg.locator(f'.pt[transform="{transform}"] circle')
    c = circle.bounding_box()
    centre = (c["x"] + c["width"] / 2, c["y"] + c["height"] / 2)
    clicked = (box["x"] + at["x"], box["y"] + at["y"])
    assert abs(centre[0] - clicked[0]) < 1.5 and abs(centre[1] - clicked[1]) < 1.5, (
        f"point drawn at {centre}, clicked at {clicked} ({transform})"
    )
    return centre, clicked


def settings_now(page) -> dict[str, str]:
    """The point form's stage, technique and depth as the page holds them."""
    form = page.locator("#point-form")
    out = {name: form.locator(f"[name={name}]").input_value() for name in ("technique", "depth_mm")}
    out["depth_mm"] = out["depth_mm"].replace(",", ".")
    stage = form.locator("[name=stage]")
    out["stage"] = stage.input_value() if stage.count() else ""
    return out


def set_point(page, tally, stage: str, technique: str, depth: str) -> int:
    """Set the next point's stage, technique and depth the cheapest way a user can: a
    quick setting that has all three (one tap), a quick setting of the stage and technique
    then the depth typed, or the fields that differ changed one by one. Every interaction
    goes through `tally` (click, choose, fill). Returns the interactions spent."""
    form = page.locator("#point-form")
    want = {"stage": stage, "technique": technique, "depth_mm": depth}
    now = settings_now(page)
    differ = [name for name, value in want.items() if now[name] and now[name] != value]
    if not differ:
        return 0
    presets = page.locator(f'button.preset[data-stage="{stage}"][data-technique="{technique}"]')
    exact = presets.and_(page.locator(f'button.preset[data-depth="{depth}"]'))
    options = [(len(differ), "fields")]
    if exact.count():
        options.append((1, "exact"))
    elif presets.count():
        options.append((2, "preset+depth"))
    cost, how = min(options)
    if how == "exact":
        tally.click(exact)
    elif how == "preset+depth":
        tally.click(presets.first)
        tally.fill(form.locator("[name=depth_mm]"), depth)
    else:
        for name in differ:
            if name == "depth_mm":
                tally.fill(form.locator("[name=depth_mm]"), depth)
            else:
                tally.choose(form.locator(f"[name={name}]"), want[name])
    assert settings_now(page) == want, (settings_now(page), want)
    return cost


def latest_point(session):
    return session.points.order_by("-id").first()


def test_plan_gate_chart_sign_and_amend(page, cleared, nora, alice):
    from tests.support import treatments as tc

    patient, product, lot, today = cleared
    screening = tc.clear_for_treatment(nora, patient, [product])

    sign_in(page, "alice", personas.PASSWORD)
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
    session = patient.treatment_sessions.get()

    tally = Tally()
    form = page.locator("#point-form")
    form.get_by_label("Volume (mL)").fill("0.05")
    for view, x, y, stage, technique, depth, zone, side in POINTS:
        form.get_by_label("Stage").select_option(stage)
        form.get_by_label("Technique").select_option(technique)
        form.get_by_label("Depth (mm)").fill(depth)
        expect(form.get_by_label("Product lot")).to_have_value(str(lot.code))  # the only lot
        click_diagram(page, tally, view, x, y)
        p = latest_point(session)
        assert (p.zone, p.side, p.stage, p.technique) == (zone, side, int(stage), technique)
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
    expect(page.get_by_text("The depth for this zone is 0.5-2.0 mm.").first).to_be_visible()
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
    act = personas.actor(nora)
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
    sign_in(page, "nora", personas.PASSWORD)
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


# Clicks on both halves of the face, front and profiles: (view, x, y, zone, side)
BOTH_HALVES = [
    ("front", 30, 55, "cheeks", "right"),
    ("front", 70, 55, "cheeks", "left"),
    ("front", 20, 31, "temples", "right"),
    ("front", 80, 31, "temples", "left"),
    ("front", 35, 40, "periorbital", "right"),
    ("front", 66, 40, "periorbital", "left"),
    ("front", 40, 64, "nasolabial", "right"),
    ("front", 60, 64, "nasolabial", "left"),
    ("front", 27, 76, "jawline", "right"),
    ("front", 73, 76, "jawline", "left"),
    ("right", 55, 52, "cheeks", "right"),
    ("left", 45, 52, "cheeks", "left"),
    ("left", 35, 62, "nasolabial", "left"),
]


@pytest.mark.parametrize("lang", ["en", "tr"])
def test_points_land_where_clicked_on_both_halves(page, cleared, nora, alice, lang):
    """Turkish wrote a decimal comma into the SVG and the number inputs (every point drawn in
    the top-left corner); the left half of the face had no zones of its own."""
    patient, product, lot, today = cleared
    plan, session = open_session(nora, product)
    sign_in(page, "alice", personas.PASSWORD)
    page.goto(page.base + f"/treatments/sessions/{session.code}/")
    use_language(page, lang)
    form = page.locator("#point-form")
    form.locator("[name=stage]").select_option("1")
    form.locator("[name=technique]").select_option("papules")
    form.locator("[name=depth_mm]").fill("1,0" if lang == "tr" else "1.0")
    form.locator("[name=volume_ml]").fill("0,05" if lang == "tr" else "0.05")
    tally = Tally()
    for view, x, y, zone, side in BOTH_HALVES:
        click_diagram(page, tally, view, x, y)
        p = latest_point(session)
        assert (p.view, p.zone, p.side) == (view, zone, side), (view, x, y)
        assert abs(p.x - x) < 0.5 and abs(p.y - y) < 0.5
        assert str(p.volume_ml) == "0.050" and str(p.depth_mm) == "1.0"  # a typed comma kept
    # the inputs show plain numbers the browser can read (an unreadable one shows empty)
    for box in page.locator("table.points input[type=number]").all():
        assert re.fullmatch(r"\d+\.\d", box.input_value()), box.input_value()
    expect(form.locator("[name=depth_mm]")).to_have_value("1.0")
    expect(form.locator("[name=volume_ml]")).to_have_value("0.05")
    points = page.locator("svg.diagram .pt")
    expect(points).to_have_count(len(BOTH_HALVES))
    for g in points.all():  # no point left in the top-left corner
        b = g.bounding_box()
        svg = g.locator("xpath=ancestor::*[name()='svg']").bounding_box()
        assert b["x"] - svg["x"] > 0.1 * svg["width"] and b["y"] - svg["y"] > 0.1 * svg["height"]
    expect(page.locator("table.points tbody tr")).to_have_count(len(BOTH_HALVES))
    rows = page.locator("table.points tbody tr")
    left, right = ("sol", "sağ") if lang == "tr" else ("left", "right")
    expect(rows.filter(has_text=f"({left})")).to_have_count(7)
    expect(rows.filter(has_text=f"({right})")).to_have_count(6)
    path = shot(page, f"30-charting-both-halves-{lang}")
    assert path.exists()

    # moving a point by its number boxes keeps plain numbers, and relocates its zone
    first = page.locator("table.points tbody tr").first
    first.locator("input[name=x]").fill("70")
    swapped(page, first.locator("button[type=submit]").first.click)
    expect(page.locator("table.points tbody tr").first).to_contain_text(f"({left})")
    moved = session.points.order_by("id").first()
    assert (moved.zone, moved.side, moved.x) == ("cheeks", "left", 70)


@pytest.mark.parametrize("lang", ["en", "tr"])
def test_settings_survive_removal_and_nothing_is_charted_silently(page, cleared, nora, lang):
    """A click no longer scrolls the diagram away; removing a point keeps the settings; the
    Add button without a click or a zone, a click outside the zones and a click on a zone of
    another stage are refused, and nothing is added on a previous zone's place."""
    patient, product, lot, today = cleared
    plan, session = open_session(nora, product)
    sign_in(page, "nora", personas.PASSWORD)
    page.goto(page.base + f"/treatments/sessions/{session.code}/")
    use_language(page, lang)
    form = page.locator("#point-form")
    form.locator("[name=stage]").select_option("2")
    form.locator("[name=technique]").select_option("linear")
    form.locator("[name=depth_mm]").fill("2.0")
    form.locator("[name=volume_ml]").fill("0.1")
    tally = Tally()
    click_diagram(page, tally, "front", 20, 31)  # temples, right
    click_diagram(page, tally, "front", 80, 31)  # temples, left
    settings = {
        "stage": "2",
        "technique": "linear",
        "depth_mm": "2.0",
        "volume_ml": "0.1",
        "lot": str(lot.code),
    }
    for name, value in settings.items():
        expect(form.locator(f"[name={name}]")).to_have_value(value)

    # change the volume, then remove a point: the settings on the page stay as they are
    form.locator("[name=volume_ml]").fill("0.2")
    settings["volume_ml"] = "0.2"
    swapped(page, page.locator("table.points tbody tr").first.locator("button.danger").click)
    expect(page.locator("svg.diagram .pt")).to_have_count(1)
    form = page.locator("#point-form")
    for name, value in settings.items():
        expect(form.locator(f"[name={name}]")).to_have_value(value)
    assert session.points.count() == 1

    # the Add button without a click or a chosen zone adds nothing
    swapped(page, form.locator("button[type=submit]").click)
    expect(page.locator("#chart-status [role=alert]")).to_be_visible()
    assert session.points.count() == 1
    # a click outside every zone (beside the head) and on a zone of another stage: refused
    click_diagram(page, tally, "front", 6, 60, adds=False)
    expect(page.locator("#chart-status [role=alert]")).to_contain_text(
        "Şakaklar" if lang == "tr" else "Temples"
    )
    click_diagram(page, tally, "front", 30, 56, adds=False)  # cheeks are stage 1 only
    expect(page.locator("#chart-status [role=alert]")).to_contain_text(
        "2. aşama" if lang == "tr" else "Stage 2"
    )
    shot(page, f"31-charting-refused-click-{lang}")
    # and nothing was kept from that click
    swapped(page, page.locator("#point-form button[type=submit]").click)
    expect(page.locator("#chart-status [role=alert]")).to_be_visible()
    assert session.points.count() == 1
    for name, value in settings.items():
        expect(page.locator(f"#point-form [name={name}]")).to_have_value(value)
    # the settings still chart the next click
    click_diagram(page, tally, "front", 27, 76)  # jaw contour, right
    jaw = latest_point(session)
    assert (jaw.zone, jaw.side, jaw.volume_ml) == ("jawline", "right", Decimal("0.200"))
    assert session.points.count() == 2

    # drag the jaw point to the other half: it moves there, in the other side's zone
    svg = page.locator('svg.diagram[data-view="front"]')
    box = svg.bounding_box()
    g = svg.locator(".pt").nth(1)
    expect(g).to_have_attribute("transform", "translate(27.00 76.00)")
    c = g.locator("circle").bounding_box()
    page.mouse.move(c["x"] + c["width"] / 2, c["y"] + c["height"] / 2)
    page.mouse.down()
    target = (box["x"] + box["width"] * 0.73, box["y"] + box["height"] * 76 / 130)
    page.mouse.move(target[0], target[1], steps=8)
    swapped(page, page.mouse.up)
    jaw.refresh_from_db()
    assert (jaw.zone, jaw.side, round(jaw.x), round(jaw.y)) == ("jawline", "left", 73, 76)
    assert session.points.count() == 2
    for name, value in settings.items():
        expect(page.locator(f"#point-form [name={name}]")).to_have_value(value)
    shot(page, f"32-charting-settings-kept-{lang}")


# 10 points over the 3 stages of a face mesolift, as a practitioner charts them (one
# technique and depth per stage, as the protocol's stages describe them):
# (stage, technique, depth, view, x, y)
JOURNEY = [
    ("1", "papules", "1.0", "front", 40, 26),
    ("1", "papules", "1.0", "front", 30, 55),
    ("1", "papules", "1.0", "front", 70, 55),
    ("1", "papules", "1.0", "front", 47, 76),
    ("1", "papules", "1.0", "front", 55, 86),
    ("2", "papules", "2.0", "front", 21, 30),
    ("2", "papules", "2.0", "front", 79, 30),
    ("2", "papules", "2.0", "front", 73, 76),
    ("3", "papules", "1.0", "front", 41, 63),
    ("3", "papules", "1.0", "left", 36.5, 61),
]


@pytest.mark.parametrize("lang", ["en", "tr"])
def test_interactions_per_injection_point(page, cleared, nora, alice, lang):
    """At most 2 interactions per point over 10 points and 3 stages (the quick settings
    change a stage in one tap); copy-forward and a template are one action each."""
    from mesoclinic.treatments.models import TreatmentSession

    patient, product, lot, today = cleared
    plan, session = open_session(nora, product)
    sign_in(page, "alice", personas.PASSWORD)
    page.goto(page.base + f"/treatments/sessions/{session.code}/")
    use_language(page, lang)
    form = page.locator("#point-form")
    tally = Tally()
    tally.type(form.locator("[name=volume_ml]"), "0,05" if lang == "tr" else "0.05")
    for stage, technique, depth, view, x, y in JOURNEY:
        set_point(page, tally, stage, technique, depth)
        click_diagram(page, tally, view, x, y)
    points = list(session.points.order_by("stage", "id"))
    assert len(points) == 10 and {p.stage for p in points} == {1, 2, 3}
    assert {"right", "left"} <= {p.side for p in points}
    assert all(str(p.volume_ml) == "0.050" for p in points)
    per_point = tally.actions / len(points)
    shot(page, f"33-charting-10-points-{lang}")

    # save it as a template, sign off; session 2 (15 days later) by copy-forward: 1 action
    page.locator("form.template-save [name=tpl-name]").fill("My usual mesolift")
    page.locator("form.template-save button[type=submit]").click()
    expect(page.locator(".messages .msg-success")).to_contain_text("My usual mesolift")
    page.locator(f"form[action$='/sessions/{session.code}/sign'] button").click()
    expect(page.locator(".messages .msg-success")).to_be_visible()
    session.refresh_from_db()
    assert session.is_signed
    earlier = timezone.now() - dt.timedelta(days=15)
    with seal_lifted(session):
        TreatmentSession.objects.filter(pk=session.pk).update(started_at=earlier, signed_at=earlier)
    page.goto(page.base + f"/treatments/plans/{plan.code}/")
    page.locator(f"form[action$='/plans/{plan.code}/start'] button").click()
    second = plan.sessions.get(number=2)
    expect(page).to_have_url(re.compile(f"/sessions/{second.code}/"))
    shot(page, f"34a-charting-start-from-{lang}")
    copy = Tally()
    copy.click(page.locator("form[action$='/copy-forward'] button"))
    expect(page.locator("svg.diagram .pt")).to_have_count(10)
    assert second.points.count() == 10 and copy.actions == 1
    shot(page, f"34-charting-copy-forward-{lang}")

    # a new patient: the template charts the same 10 points in 1 action
    _plan, third = open_session(nora, product, given="Sena", family="Öztürk")
    page.goto(page.base + f"/treatments/sessions/{third.code}/")
    shot(page, f"35a-charting-template-offered-{lang}")
    apply = Tally()
    apply.click(page.locator("form[action*='/templates/'] button"))
    expect(page.locator("svg.diagram .pt")).to_have_count(10)
    assert [(p.zone, p.side, p.stage, p.view, p.x, p.y) for p in third.points.order_by("id")] == [
        (p.zone, p.side, p.stage, p.view, p.x, p.y) for p in session.points.order_by("id")
    ]
    assert {p.lot_id for p in third.points.all()} == {lot.pk}
    assert apply.actions == 1
    shot(page, f"35-charting-template-applied-{lang}")

    figures = {
        "lang": lang,
        "points": len(points),
        "actions": tally.actions,
        "actions_per_point": round(per_point, 2),
        "events": tally.events,
        "events_per_point": round(tally.events / len(points), 2),
        "copy_forward_actions": copy.actions,
        "template_actions": apply.actions,
    }
    SHOTS.parent.mkdir(parents=True, exist_ok=True)
    (SHOTS.parent / f"charting-interactions-{lang}.json").write_text(json.dumps(figures))
    print(figures)
    assert per_point <= 2, figures
