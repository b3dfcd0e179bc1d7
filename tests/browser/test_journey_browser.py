"""Issue 3's journey in the browser: register -> intake -> screen -> override with reason ->
patch test -> sign consent, with a screenshot of each page."""

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.support import personas


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_register_intake_screen_override_patch_test_consent(page, nora, alice):
    from tests.support.products import make_product

    booster = make_product(  # the catalogue: picked in screening and patch test, never retyped
        personas.actor(alice),
        name="HA booster",
        maker="",
        ingredients=["sodium hyaluronate", "lidocaine"],
        patch_test_reading_minutes=30,
    )
    sign_in(page, "alice", personas.PASSWORD)  # a physician may do every step, the override too
    page.get_by_role("link", name="Register a patient").click()
    page.get_by_label("Given name").fill("Derya")
    page.get_by_label("Family name").fill("Çelik")
    page.get_by_label("Date of birth").fill("1986-07-14")
    page.get_by_label("Phone").fill("0532 444 55 66")
    shot(page, "20-journey-register")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Derya Çelik")).to_be_visible()

    page.get_by_role("link", name="Fill in the medical history").click()
    for fact in (
        "pregnant",
        "breastfeeding",
        "cancer_treatment",
        "anticoagulants",
        "bleeding_disorder",
        "active_skin_infection",
        "active_herpes",
        "acute_illness",
        "kidney_disease",
        "pathological_edema",
        "autoimmune_disease",
        "implanted_electronic_device",
    ):
        page.locator(f"input[name=fact_{fact}][value=no]").check()
    page.locator(
        "input[name=fact_keloid_tendency][value=yes]"
    ).check()  # a relative contraindication: review
    page.get_by_label(re.compile("Do you have diabetes")).select_option("none")
    page.locator("input[name=fact_last_aspirin_or_nsaid][value=never]").check()
    page.locator("input[name=fact_isotretinoin_last_dose][value=never]").check()
    page.get_by_label("No known allergies").check()
    shot(page, "21-journey-intake")
    page.get_by_role("button", name="Save this version").click()
    expect(page.get_by_text("Intake version 1 saved.")).to_be_visible()

    page.get_by_role("link", name=re.compile("^Screen")).first.click()
    page.get_by_label("Protocol").select_option("face-mesolift")
    page.locator(f"input[name=catalogue][value='{booster.pk}']").check()
    shot(page, "22-journey-screen-form")
    page.get_by_role("button", name=re.compile("^Screen")).click()
    expect(page.get_by_text(re.compile("Keloid or raised-scar tendency")).first).to_be_visible()
    expect(page.locator(".sources").first).to_be_visible()
    shot(page, "23-journey-screening-review")

    page.get_by_label("Reason for the override").fill("Short")
    page.get_by_role("button", name="Record the override").click()
    expect(page.locator(".errorlist").first).to_be_visible()  # too short, shown by the field
    page.get_by_label("Reason for the override").fill(
        "Small test area first; keloids only after surgery, none after needling."
    )
    page.get_by_role("button", name="Record the override").click()
    expect(page.get_by_text("The override is recorded.")).to_be_visible()
    expect(page.get_by_text("Small test area first")).to_be_visible()
    shot(page, "24-journey-override")

    page.get_by_role("link", name="Derya Çelik").first.click()
    page.get_by_role("link", name="Record a patch test").click()
    page.get_by_label("Product tested").select_option(str(booster.pk))  # read after 30 min
    page.get_by_label("Where on the skin").select_option("inner_forearm")
    page.get_by_label("Applied at").fill(local(timezone.now() - dt.timedelta(minutes=45)))
    shot(page, "25-journey-patch-test")
    page.get_by_label("Applied at").press("Enter")
    expect(page.get_by_text(re.compile("Patch test to HA booster recorded"))).to_be_visible()
    page.get_by_role("link", name=re.compile("Record the reading")).click()
    page.get_by_label(re.compile("Negative")).check()
    page.get_by_role("button", name="Save the reading").click()
    expect(page.get_by_text(re.compile("Negative")).first).to_be_visible()

    page.evaluate("window.scrollBy(0, 600)")  # the consent panel loads when seen
    page.get_by_label("Protocol", exact=True).select_option("face-mesolift")
    page.get_by_role("button", name="Sign a consent").click()
    page.get_by_label("Hyaluronic acid skin booster").check()
    page.get_by_label(re.compile("The patient has read the text above")).check()
    canvas = page.get_by_role("img", name="Signature of the person signing")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + 100)
    page.mouse.down()
    for x, y in [(90, 40), (160, 110), (260, 50), (360, 90)]:
        page.mouse.move(box["x"] + x, box["y"] + y, steps=4)
    page.mouse.up()
    shot(page, "26-journey-consent")
    page.get_by_role("button", name="Sign the consent").click()
    expect(page.get_by_text(re.compile("Consent to Face mesolift .* signed"))).to_be_visible()
    shot(page, "27-journey-chart")
