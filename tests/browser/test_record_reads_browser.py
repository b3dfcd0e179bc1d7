"""Issue 15: the portal's "who opened my record" on a phone, in English and Turkish.
Screenshots in artifacts/screenshots/record-reads-*."""

import pytest

from mesoclinic.patients import access
from tests.browser.conftest import shot
from tests.browser.test_portal_tabs_browser import signed_in_phone
from tests.support import journeys, personas

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "tr"])
def test_who_opened_my_record_on_a_phone(browser, live_server, frank, alice, lang):
    patient = personas.make_patient(personas.actor(frank), given="Elif", family="Aydın")
    access.get_patient(personas.actor(alice), patient.code)
    access.get_patient(personas.actor(frank), patient.code)
    user = journeys.portal_user(frank, patient)
    context = signed_in_phone(browser, live_server, user, 360, lang)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/portal/profile")
        page.get_by_role(
            "link", name="Who opened my record" if lang == "en" else "Kaydımı kim açtı"
        ).click()
        rows = page.locator("tbody tr")
        assert rows.count() >= 2
        text = page.locator("main").inner_text()
        assert ("Physician" if lang == "en" else "Hekim") in text or "Physician" in text
        assert "alice" not in text
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        shot(page, f"record-reads-360-{lang}")
    finally:
        context.close()
