"""The charting quick settings in the browser, in English and Turkish, on a tablet (1180x820)
and a phone (390 wide), with the pointer and with the keyboard: one tap (or one key) sets a
point's stage, technique and depth; the preset that matches the form shows pressed, also
after a value is typed by hand; the server still checks every point."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.browser.test_charting_browser import (
    Tally,
    cleared,  # noqa: F401  (fixture)
    click_diagram,
    latest_point,
    open_session,
    settings_now,
    swapped,
    use_language,
)
from tests.support import personas


def preset(page, stage: str, technique: str, depth: str):
    return page.locator(
        f'button.preset[data-stage="{stage}"][data-technique="{technique}"][data-depth="{depth}"]'
    )


def pressed(page) -> list[tuple[str, str, str]]:
    return [
        (
            b.get_attribute("data-stage"),
            b.get_attribute("data-technique"),
            b.get_attribute("data-depth"),
        )
        for b in page.locator('button.preset[aria-pressed="true"]').all()
    ]


@pytest.mark.parametrize("lang", ["en", "tr"])
def test_quick_settings_by_tap_and_by_keyboard_on_a_tablet(page, cleared, nora, lang):  # noqa: F811
    patient, product, lot, today = cleared
    plan, session = open_session(nora, product)
    sign_in(page, "nora", personas.PASSWORD)
    page.goto(page.base + f"/treatments/sessions/{session.code}/")
    use_language(page, lang)
    quick = page.locator("section.quick")
    expect(
        quick.get_by_role("heading", name="Hızlı ayarlar" if lang == "tr" else "Quick settings")
    ).to_be_visible()
    expect(quick).to_contain_text(
        "Metabolik mezoterapi" if lang == "tr" else "Metabolic mesotherapy"
    )
    expect(page.locator("button.preset")).to_have_count(15)
    # a chart from nothing: the first preset (stage 1, its first technique, shallowest depth)
    assert settings_now(page) == {"stage": "1", "technique": "epidermal-nappage", "depth_mm": "0.5"}
    assert pressed(page) == [("1", "epidermal-nappage", "0.5")]
    expect(page.locator("#point-form [name=lot]")).to_have_value(str(lot.code))
    page.locator("#point-form [name=volume_ml]").fill("0,05" if lang == "tr" else "0.05")
    shot(page, f"36-quick-settings-tablet-{lang}")

    # one tap: stage 2, linear, 2.0 mm; then one tap on the temple charts it
    tally = Tally()
    tally.click(preset(page, "2", "linear", "2.0"))
    assert settings_now(page) == {"stage": "2", "technique": "linear", "depth_mm": "2.0"}
    assert pressed(page) == [("2", "linear", "2.0")]
    click_diagram(page, tally, "front", 20, 31)
    p = latest_point(session)
    assert (p.stage, p.technique, str(p.depth_mm), p.zone, p.side) == (
        2,
        "linear",
        "2.0",
        "temples",
        "right",
    )
    assert tally.actions == 2
    assert pressed(page) == [("2", "linear", "2.0")]  # kept after the chart came back

    # by hand: a depth typed with a decimal comma presses the preset it matches, or none
    depth = page.locator("#point-form [name=depth_mm]")
    depth.fill("1,5" if lang == "tr" else "1.5")
    assert pressed(page) == [("2", "linear", "1.5")]
    depth.fill("1,8" if lang == "tr" else "1.8")
    assert pressed(page) == []
    click_diagram(page, tally, "front", 80, 31)
    assert str(latest_point(session).depth_mm) == "1.8"

    # the keyboard: Tab to a preset and Enter, then the zone list and Enter on "Add point"
    keys = 0
    preset(page, "3", "papules", "1.0").focus()
    page.keyboard.press("Enter")
    keys += 1
    assert settings_now(page) == {"stage": "3", "technique": "papules", "depth_mm": "1.0"}
    zone = page.locator("#point-form [name=zone]")
    zone.focus()
    zone.select_option("nasolabial:left")  # a choice from the list by keyboard
    keys += 1
    page.locator("#point-form button[type=submit]").focus()
    swapped(page, lambda: page.keyboard.press("Enter"))
    keys += 1
    p = latest_point(session)
    assert (p.stage, p.technique, p.zone, p.side) == (3, "papules", "nasolabial", "left")
    assert session.points.count() == 3 and keys == 3
    assert pressed(page) == [("3", "papules", "1.0")]

    # the server still checks: stage 3 does not treat the cheeks, whatever the preset says
    click_diagram(page, tally, "front", 30, 55, adds=False)
    expect(page.locator("#chart-status [role=alert]")).to_contain_text(
        "3. aşama" if lang == "tr" else "Stage 3"
    )
    assert session.points.count() == 3
    shot(page, f"37-quick-settings-charted-tablet-{lang}")

    # both sides: one tap charts the point and its mirror image; removing a point keeps the box
    both = page.locator("section.quick input[name=both]")
    expect(page.locator("section.quick")).to_contain_text(
        "İki taraf" if lang == "tr" else "Both sides"
    )
    tally = Tally()
    tally.click(preset(page, "1", "papules", "1.0"))
    tally.click(both)
    svg = page.locator('svg.diagram[data-view="front"]')
    box = svg.bounding_box()
    drawn = page.locator("svg.diagram .pt").count()
    swapped(
        page,
        lambda: tally.click(svg, position={"x": box["width"] * 0.3, "y": box["height"] * 55 / 130}),
    )
    expect(page.locator("svg.diagram .pt")).to_have_count(drawn + 2)
    points = list(session.points.order_by("-id")[:2])
    assert sorted((p.zone, p.side, p.x) for p in points) == [
        ("cheeks", "left", 70),
        ("cheeks", "right", 30),
    ]
    assert session.points.count() == 5 and tally.actions == 3
    expect(page.locator("#chart-status .added")).to_have_count(2)
    expect(page.locator("section.quick input[name=both]")).to_be_checked()
    swapped(page, page.locator("table.points tbody tr").first.locator("button.danger").click)
    expect(page.locator("section.quick input[name=both]")).to_be_checked()
    assert session.points.count() == 4
    shot(page, f"39-quick-settings-both-sides-tablet-{lang}")


@pytest.mark.parametrize("lang", ["en", "tr"])
def test_quick_settings_on_a_phone(page, cleared, nora, lang):  # noqa: F811
    patient, product, lot, today = cleared
    plan, session = open_session(nora, product)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "nora", personas.PASSWORD)
    page.goto(page.base + f"/treatments/sessions/{session.code}/")
    use_language(page, lang)
    # nothing wider than the phone; every preset is a full-size target
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for b in page.locator("button.preset").all():
        box = b.bounding_box()
        assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.locator("#point-form [name=volume_ml]").fill("0,05" if lang == "tr" else "0.05")
    tally = Tally()
    tally.click(preset(page, "1", "papules", "1.0"))
    click_diagram(page, tally, "front", 30, 55)
    p = latest_point(session)
    assert (p.stage, p.technique, str(p.depth_mm), p.zone) == (1, "papules", "1.0", "cheeks")
    assert tally.actions == 2
    wide = page.eval_on_selector_all(
        "body *",
        "els => els.filter(e => e.getBoundingClientRect().right > 391 && !e.parentElement.closest('.table-wrap'))"
        ".map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))",
    )
    assert wide == [], wide[:8]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, f"38-quick-settings-phone-{lang}")
