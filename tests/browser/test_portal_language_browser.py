"""Issue 13: the portal follows the patient's preferred language, not the browser's, and the
clinic's phone is a tap-to-call link. A phone (390 x 844) whose browser asks for English;
the patient's record says Turkish. Screenshots: artifacts/screenshots/portal-language-*."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot
from tests.support import journeys, personas

pytestmark = pytest.mark.browser

PHONE = "+90 212 555 01 01"


def test_the_portal_speaks_the_patients_language(browser, live_server, clinic_a, nora, alice):
    clinic_a.phone = PHONE
    clinic_a.save()
    patient = personas.make_patient(personas.actor(alice), given="Elif", family="Aydın")
    patient.language = "tr"
    patient.save()
    user = journeys.portal_user(nora, patient, "elif.aydin")

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    errors = []
    page = context.new_page()
    page.set_default_timeout(15000)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/accounts/login?next=/portal/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(personas.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/portal/$"))

    # the browser asked for English; the patient chose Turkish
    expect(page.locator("html")).to_have_attribute("lang", "tr")
    expect(page.get_by_role("link", name="Randevular", exact=True)).to_be_visible()
    shot(page, "portal-language-1-home-tr")

    # "contact the clinic" comes with the clinic's phone, a tap-to-call link
    page.goto(live_server.url + "/portal/ask")
    call = page.get_by_role("link", name=PHONE)
    expect(call).to_have_attribute("href", "tel:+902125550101")
    shot(page, "portal-language-2-ask-tr")

    # she switches to English in the footer: saved as her preference
    page.locator("#lang-select").select_option("en")
    page.get_by_role("button", name="Değiştir").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Appointments", exact=True)).to_be_visible()
    patient.refresh_from_db()
    assert patient.language == "en"
    page.get_by_role("link", name="Your profile").click()
    expect(page.get_by_label("English")).to_be_checked()
    shot(page, "portal-language-3-profile-en")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{width}px wide"
    context.close()
    assert not errors, errors
