"""A refused page is the normal layout with the reason: the staff's for staff, the
portal's for a patient, in English and Turkish."""

from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.support import journeys, personas


def test_the_front_desk_is_told_why_in_the_staff_layout(page, frank, patient):
    page.expected_statuses.add(403)
    sign_in(page, "frank", personas.PASSWORD)
    response = page.goto(f"{page.base}/screening/patient/{patient.code}/new")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    expect(page.get_by_text("Your role (Front desk) does not allow this.")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    shot(page, "90-refused-staff")
    page.locator("#lang-select").select_option("tr")
    page.get_by_role("button", name="Change").click()
    expect(page.get_by_text("Rolünüz (Ön büro) buna izin vermiyor.")).to_be_visible()
    shot(page, "91-refused-staff-tr")


def test_a_patient_is_told_why_in_the_portal_layout(page, nora, patient):
    page.expected_statuses.add(403)
    journeys.portal_user(nora, patient, username="ayse")
    page.goto(page.base + "/accounts/login")
    page.get_by_label("Username").fill("ayse")
    page.get_by_label("Password").fill(personas.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    response = page.goto(page.base + "/patients/")
    assert response.status == 403
    expect(page.get_by_text("This page is for the clinic's staff.")).to_be_visible()
    expect(page.locator("body.portal")).to_be_visible()  # the portal's layout
    shot(page, "92-refused-patient")
    page.get_by_role("link", name="Your portal").click()
    expect(page.get_by_role("navigation", name="Portal")).to_be_visible()
