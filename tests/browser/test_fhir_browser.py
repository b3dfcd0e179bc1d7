"""Issue 16: the patient downloads a copy of their records from the portal (a phone, in
Turkish and English), and a clinic admin makes and revokes an API token (a tablet).
Screenshots: artifacts/screenshots/fhir-*."""

import re
import zipfile

import pytest
from playwright.sync_api import expect

from mesoclinic.fhir.models import ApiToken
from tests.browser.conftest import shot, sign_in
from tests.support import journeys, personas

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["tr", "en"])
def test_the_patient_downloads_their_records(browser, live_server, nora, alice, lang, tmp_path):
    patient = personas.make_patient(personas.actor(alice), given="Elif", family="Aydın")
    personas.make_intake(personas.actor(nora), patient)
    patient.language = lang
    patient.save()
    user = journeys.portal_user(nora, patient, f"elif-{lang}")
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB",
                                  accept_downloads=True)  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(15000)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/accounts/login?next=/portal/profile")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(personas.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/portal/profile$"))
    link = {"tr": "Kayıtlarınızın bir kopyasını indirin", "en": "Download a copy of your records"}
    page.get_by_role("link", name=link[lang]).click()
    page.wait_for_url(re.compile(r"/records/mine$"))
    heading = {"tr": "Kayıtlarınızın bir kopyası", "en": "A copy of your records"}[lang]
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    shot(page, f"fhir-1-copy-page-{lang}")
    button = {"tr": "Kayıtlarımı indir", "en": "Download my records"}[lang]
    with page.expect_download() as info:
        page.get_by_role("button", name=button).focus()
        page.keyboard.press("Enter")  # works from the keyboard
    download = info.value
    assert re.fullmatch(r"records-\d{4}-\d{2}-\d{2}\.zip", download.suggested_filename)
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    with zipfile.ZipFile(path) as z:
        assert {"record.json", "README.txt"} <= set(z.namelist())
        readme = z.read("README.txt").decode()
    assert ("Bu arşivde" if lang == "tr" else "What is in this archive") in readme
    context.close()
    assert not errors, errors


def test_a_clinic_admin_makes_and_revokes_an_api_token(page, adam):
    sign_in(page, "adam", personas.PASSWORD)
    page.get_by_role("link", name="API tokens").click()
    page.wait_for_url(re.compile(r"/fhir/tokens/$"))
    page.get_by_role("button", name="Make the token").click()  # no name: refused, named
    expect(page.get_by_role("alert")).to_contain_text("Give the token a name")
    page.get_by_label("Name (which system uses it)").fill("National health record")
    page.get_by_role("button", name="Make the token").click()
    secret = page.locator("#new-token").inner_text()
    assert secret.startswith("mcf_")
    shot(page, "fhir-2-token-made-en")
    page.reload()
    expect(page.locator("#new-token")).to_have_count(0)  # shown once
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text(re.compile(r"^Revoked "))).to_be_visible()
    assert ApiToken.objects.get().revoked_at is not None
    page.locator("#lang-select").select_option("tr")
    page.get_by_role("button", name="Change").click()
    expect(page.get_by_role("heading", name="API anahtarları")).to_be_visible()
    shot(page, "fhir-3-tokens-tr")
