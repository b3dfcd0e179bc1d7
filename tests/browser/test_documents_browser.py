"""Issue 16 in a real browser, in English and Turkish: the session page printed (the print
stylesheet hides the application around the record) and its PDF downloaded."""

import pytest
from playwright.sync_api import expect

from mesoclinic.treatments.tests.conftest import TODAY, _frozen, booster  # noqa: F401
from tests.browser.conftest import shot, sign_in
from tests.support import journeys, personas

LINK = {"en": "Download as PDF", "tr": "PDF olarak indir"}


@pytest.mark.parametrize("lang", ["en", "tr"])
def test_the_session_page_prints_and_downloads_as_pdf(page, nora, booster, lang):  # noqa: F811
    product, lot = booster
    patient = personas.make_patient(personas.actor(nora), "Şule", "Öztürk", language=lang)
    plan = journeys.ready_plan(nora, patient, product, TODAY)
    session = journeys.signed_session(nora, plan, lot)
    sign_in(page, "nora", personas.PASSWORD)
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": page.base}])
    page.goto(page.base + f"/treatments/sessions/{session.code}/")
    link = page.get_by_role("link", name=LINK[lang])
    expect(link).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("header.top")).to_be_hidden()
    expect(link).to_be_hidden()  # buttons are not printed
    expect(page.locator("svg.diagram").first).to_be_visible()
    shot(page, f"documents-print-session-{lang}")
    page.emulate_media(media="screen")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.startswith("session-1-")
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"
