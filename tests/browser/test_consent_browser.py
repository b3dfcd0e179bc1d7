"""The signature pad in a real browser (Debian's Chromium, tablet-sized), under the CSP."""

import re

from playwright.sync_api import expect

from mesoclinic.consent.models import Consent
from tests.browser.conftest import shot, sign_in
from tests.support import personas


def draw(pg, box, points):
    pg.mouse.move(box["x"] + points[0][0], box["y"] + points[0][1])
    pg.mouse.down()
    for x, y in points[1:]:
        pg.mouse.move(box["x"] + x, box["y"] + y, steps=4)
    pg.mouse.up()


def test_a_patient_signs_on_the_pad_and_the_chart_shows_the_consent(page, nora):
    patient = personas.make_patient(personas.actor(nora), "Şule", "Öztürk")
    sign_in(page, "nora", personas.PASSWORD)
    page.goto(page.base + f"/patients/{patient.code}/")
    page.evaluate("window.scrollBy(0, 600)")  # the consent panel loads when seen
    page.get_by_label("Protocol", exact=True).select_option("face-mesolift")
    page.get_by_role("button", name="Sign a consent").click()
    expect(page.get_by_role("heading", name=re.compile("Consent to treatment"))).to_be_visible()

    page.get_by_label("Hyaluronic acid skin booster").check()
    page.get_by_role("button", name="Sign the consent").click()  # nothing drawn or confirmed
    # beside each field, and named in the summary above the form
    expect(page.locator("#id_signature_error")).to_contain_text("The patient has not signed.")
    expect(
        page.get_by_text("Confirm that the patient has read the text.", exact=True)
    ).to_be_visible()
    expect(page.locator(".error-summary")).to_contain_text("The patient has not signed.")

    canvas = page.get_by_role("img", name="Signature of the person signing")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    draw(page, box, [(10, 10), (30, 40)])
    page.get_by_role("button", name="Clear the signature").click()  # a false start
    expect(canvas).to_be_focused()
    draw(page, box, [(40, 120), (120, 40), (200, 110), (320, 50), (420, 100)])
    signed = page.get_by_text("Signed. The signature is saved with the form.")
    expect(signed).to_be_visible()
    shot(page, "consent-01-signed-pad")
    page.get_by_role("button", name="Sign the consent").click()  # still not confirmed
    expect(
        page.get_by_text("Confirm that the patient has read the text.", exact=True)
    ).to_be_visible()
    expect(signed).to_be_visible()  # the drawing came back with the form
    page.set_viewport_size({"width": 820, "height": 1180})  # the tablet turned to portrait
    page.get_by_label(re.compile("The patient has read the text above")).check()
    page.get_by_role("button", name="Sign the consent").click()

    expect(page.get_by_text(re.compile("Consent to Face mesolift .* signed"))).to_be_visible()
    consent = Consent.objects.get()
    assert consent.signature.startswith("data:image/png;base64,") and not consent.typed_signature
    expect(page.locator("#h-consent + ul .badge-ok")).to_have_text("Valid")
    shot(page, "consent-02-chart")
    page.get_by_role("link", name="Face mesolift (facial mesotherapy)").first.click()
    expect(page.get_by_role("img", name="Signature of Şule Öztürk")).to_be_visible()


def test_the_keyboard_path_is_the_typed_name(page, nora):
    patient = personas.make_patient(personas.actor(nora), "Ali", "Kaya")
    sign_in(page, "nora", personas.PASSWORD)
    page.goto(page.base + f"/consent/patients/{patient.code}/sign?protocol=hair&language=tr")
    expect(page.get_by_role("heading", name=re.compile("Saç mezoterapisi"))).to_be_visible()
    page.get_by_label("Vitamin / amino-acid cocktail").focus()
    page.keyboard.press("Space")
    page.get_by_label(re.compile("The patient has read the text above")).focus()
    page.keyboard.press("Space")
    canvas = page.get_by_role("img", name="Signature of the person signing")
    canvas.focus()
    expect(canvas).to_be_focused()
    page.get_by_label(re.compile("The patient cannot sign by hand")).focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Sign the consent").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile("Consent to .* signed"))).to_be_visible()
    consent = Consent.objects.get()
    assert consent.typed_signature and consent.language == "tr"
