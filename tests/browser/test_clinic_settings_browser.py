import re

from playwright.sync_api import expect

from mesoclinic.accounts.models import Clinic
from tests.browser.conftest import shot
from tests.support import personas


def test_the_clinic_admin_chooses_the_clinics_time_zone(page, clinic_a):
    personas.make_user("adam", clinic_a, personas.ROLES["adam"])
    page.goto(page.base + "/accounts/login")
    page.get_by_label("Username").fill("adam")
    page.get_by_label("Password").fill(personas.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Clinic", exact=True).click()
    expect(page.get_by_role("heading", name="Clinic settings")).to_be_visible()
    expect(page.get_by_text(re.compile(r"clock reads .* \(Europe/Istanbul\)"))).to_be_visible()
    shot(page, "clinic-settings")
    page.get_by_label("Time zone").select_option("Pacific/Auckland")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Clinic settings saved.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"clock reads .* \(Pacific/Auckland\)"))).to_be_visible()
    shot(page, "clinic-settings-auckland")
    assert Clinic.objects.get(pk=clinic_a.pk).timezone == "Pacific/Auckland"
