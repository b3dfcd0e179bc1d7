import re

from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.support import personas


def test_register_find_and_record_the_medical_history(page, nora):
    sign_in(page, "nora", personas.PASSWORD)
    shot(page, "01-patient-list-empty")
    page.get_by_role("link", name="Register a patient").click()
    page.get_by_label("Given name").fill("Şule")
    page.get_by_label("Family name").fill("Öztürk")
    page.get_by_label("Date of birth").fill("2999-01-01")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("The date of birth is in the future.", exact=True)).to_be_visible()
    expect(page.locator(".error-summary")).to_contain_text("The date of birth is in the future.")
    shot(page, "02-register-error")
    page.get_by_label("Date of birth").fill("1985-03-02")
    page.get_by_label("Phone").fill("+90 532 111 22 33")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Şule Öztürk")).to_be_visible()
    shot(page, "03-chart-new")

    page.get_by_role("link", name="Patients").click()
    page.get_by_label("Find by name, phone or date of birth").fill("sule ozt")
    expect(page.get_by_role("link", name="Öztürk, Şule")).to_be_visible()
    shot(page, "04-search")
    page.get_by_role("link", name="Öztürk, Şule").click()

    page.get_by_role("link", name="Fill in the medical history").click()
    page.locator("input[name=fact_pregnant][value=no]").check()
    page.locator("input[name=fact_breastfeeding][value=no]").check()
    page.get_by_label(re.compile("Do you have diabetes")).select_option("none")
    page.locator("textarea[name=fact_allergies]").fill("lignocaine")
    shot(page, "05-intake")
    page.get_by_role("button", name="Save this version").click()
    expect(page.get_by_text("Intake version 1 saved.")).to_be_visible()
    expect(page.get_by_text("lignocaine")).to_be_visible()
    shot(page, "06-chart-with-history")
