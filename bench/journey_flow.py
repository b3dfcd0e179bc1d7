"""The clinic-day journey in Chromium, counted (run by bench/journey.py through pytest, which
brings the live server and the browser fixtures): intake, screening, consent, plan, booking,
charting 10 points over the stages, sign-off, then session 2 with copy-forward.

Every interaction a user spends is tallied: a click, a checkbox or radio, a choice from a
list, a value typed (one each; a signature drawn is one). Sign-in, moving the clock and the
patch test (done through the real action: it has its own page and reading time) are not
counted. The result is written as JSON to $BENCH_JOURNEY_OUT."""

import datetime as dt
import json
import os
import re

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import browser, page, sign_in  # noqa: F401  (fixtures)
from tests.browser.test_charting_browser import POINTS, click_diagram, set_point, swapped
from tests.support import journeys, personas

PRODUCT = "HA booster"
INGREDIENTS = ["sodium hyaluronate"]
NO = (
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
    "keloid_tendency",
    "implanted_electronic_device",
)


class Tally:
    """Interactions per phase, and what was typed (to find product names typed again)."""

    def __init__(self):
        self.phase = ""
        self.counts: dict[str, int] = {}
        self.typed: dict[str, list[str]] = {}

    def start(self, phase: str):
        self.phase = phase
        self.counts.setdefault(phase, 0)
        self.typed.setdefault(phase, [])

    def _one(self):
        self.counts[self.phase] += 1

    def click(self, locator, **kw):
        locator.click(**kw)
        self._one()

    def check(self, locator):
        if not locator.is_checked():  # a box already ticked costs nothing
            locator.check()
            self._one()

    def choose(self, locator, value: str):
        if locator.input_value() != value:  # a user leaves a list that already says it
            locator.select_option(value)
            self._one()

    def fill(self, locator, text: str):
        if locator.input_value() != text:
            locator.fill(text)
            self._one()
            self.typed[self.phase].append(text)


def draw_signature(page, tally):  # noqa: F811
    canvas = page.get_by_role("img", name="Signature of the person signing")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + 100)
    page.mouse.down()
    for x, y in [(90, 40), (160, 110), (260, 50), (360, 90)]:
        page.mouse.move(box["x"] + x, box["y"] + y, steps=4)
    page.mouse.up()
    tally._one()


def screen(page, tally):  # noqa: F811
    page.get_by_role("link", name=re.compile("^Screen")).first.click()
    tally._one()
    tally.choose(page.get_by_label("Protocol"), "face-mesolift")
    # the product comes from the catalogue: a box ticked (already ticked when a plan has it)
    tally.check(page.get_by_role("checkbox", name=re.compile(re.escape(PRODUCT))))
    tally.click(page.get_by_role("button", name=re.compile("^Screen")))
    expect(page.locator(".badge-eligible").first).to_be_visible()


def chart(page, tally, points):  # noqa: F811
    form = page.locator("#point-form")
    tally.fill(form.get_by_label("Volume (mL)"), "0.05")
    for view, x, y, stage, technique, depth, _zone, _side in points:
        # a quick setting (one tap) or the fields that differ, whichever costs less
        set_point(page, tally, stage, technique, depth)
        click_diagram(page, tally, view, x, y)  # one click, tallied


def test_journey(page, nora, alice, frank, adam, clinic_a, time_machine):  # noqa: F811
    from mesoclinic.patchtests.actions import read_patch_test, record_patch_test
    from mesoclinic.patients.models import Patient
    from tests.support.products import make_lot, make_product

    act = personas.actor(nora)
    product = make_product(
        act,
        name=PRODUCT,
        product_class="ha-skin-booster",
        ingredients=INGREDIENTS,
        patch_test_reading_minutes=30,
    )
    today = timezone.localdate()
    make_lot(act, product, "HB-2026-11", expiry=today + dt.timedelta(days=300), quantity="40")
    journeys.scheduling_setup(adam)
    tally = Tally()
    sign_in(page, "alice", personas.PASSWORD)

    tally.start("intake")
    tally.click(page.get_by_role("link", name="Register a patient"))
    tally.fill(page.get_by_label("Given name"), "Derya")
    tally.fill(page.get_by_label("Family name"), "Çelik")
    tally.fill(page.get_by_label("Date of birth"), "1986-07-14")
    tally.click(page.get_by_role("button", name="Register"))
    expect(page.get_by_role("heading", name="Derya Çelik")).to_be_visible()
    patient = Patient.objects.get(given_name="Derya")
    tally.click(page.get_by_role("link", name="Fill in the medical history"))
    for fact in NO:
        tally.check(page.locator(f"input[name=fact_{fact}][value=no]"))
    tally.choose(page.get_by_label(re.compile("Do you have diabetes")), "none")
    tally.check(page.locator("input[name=fact_last_aspirin_or_nsaid][value=never]"))
    tally.check(page.locator("input[name=fact_isotretinoin_last_dose][value=never]"))
    tally.check(page.get_by_label("No known allergies"))
    tally.click(page.get_by_role("button", name="Save this version"))
    expect(page.get_by_text("Intake version 1 saved.")).to_be_visible()

    tally.start("screening")
    screen(page, tally)

    # the patch test, through the action (not counted)
    now = timezone.now()
    test = record_patch_test(
        act,
        patient,
        substance=PRODUCT,
        product_class="ha-skin-booster",
        site="inner_forearm",
        applied_at=now - dt.timedelta(minutes=45),
        reading_minutes=30,
    )
    read_patch_test(act, test, result="negative", read_at=now - dt.timedelta(minutes=5))

    tally.start("consent")
    page.goto(page.base + f"/patients/{patient.code}/")
    tally.choose(page.get_by_label("Protocol", exact=True), "face-mesolift")
    tally.click(page.get_by_role("button", name="Sign a consent"))
    tally.check(page.get_by_label("Hyaluronic acid skin booster"))
    tally.check(page.get_by_label(re.compile("The patient has read the text above")))
    draw_signature(page, tally)
    tally.click(page.get_by_role("button", name="Sign the consent"))
    expect(page.get_by_text(re.compile("Consent to Face mesolift .* signed"))).to_be_visible()

    tally.start("plan")
    screening = patient.screenings.order_by("-id").first()
    page.goto(page.base + f"/screening/{screening.code}/")
    tally.click(page.get_by_role("link", name="Make a treatment plan"))
    tally.fill(page.get_by_label("Number of sessions"), "4")
    box = page.get_by_label(PRODUCT)
    if not box.is_checked():
        tally.check(box)
    tally.click(page.get_by_role("button", name="Create the plan"))
    expect(page.get_by_text("Plan created.")).to_be_visible()
    plan_url = page.url

    tally.start("booking")
    tally.click(page.get_by_role("link", name="Book the sessions"))
    tally.fill(page.get_by_label("First session on or after"), today.isoformat())
    tally.click(page.get_by_role("button", name="Find slots"))
    expect(page.locator("#booking input[type=radio]").first).to_be_visible()
    tally.click(page.get_by_role("button", name="Book all sessions"))
    page.wait_for_timeout(500)
    booked = patient.appointments.count() if hasattr(patient, "appointments") else None

    tally.start("session 1: start")
    page.goto(plan_url)
    tally.click(page.get_by_role("button", name="Start the session"))
    expect(page.get_by_role("heading", name=re.compile("Session 1 of 4"))).to_be_visible()
    tally.start("charting")
    chart(page, tally, POINTS[:10])
    expect(page.get_by_text("10 points", exact=True)).to_be_visible()

    tally.start("sign-off")
    tally.click(page.get_by_role("button", name="Sign off"))
    expect(page.get_by_text(re.compile("Signed off by Alice"))).to_be_visible()

    # session 2, four weeks later: screened again on its day (the gate wants a screening of
    # the day), then copy-forward
    time_machine.move_to(timezone.now() + dt.timedelta(days=28), tick=True)
    sign_in(page, "alice", personas.PASSWORD)
    tally.start("session 2: screening")
    page.goto(page.base + f"/patients/{patient.code}/")
    screen(page, tally)
    tally.start("session 2: start")
    page.goto(plan_url)
    tally.click(page.get_by_role("button", name="Start the session"))
    expect(page.get_by_role("heading", name=re.compile("Session 2 of 4"))).to_be_visible()
    tally.start("copy-forward")
    swapped(page, lambda: tally.click(page.get_by_role("button", name="Copy the previous session")))
    expect(page.get_by_text("10 points", exact=True)).to_be_visible()
    tally.start("session 2: sign-off")
    tally.click(page.get_by_role("button", name="Sign off"))
    expect(page.get_by_text(re.compile("Signed off by Alice"))).to_be_visible()

    name = PRODUCT.lower()
    retyped = {phase: sum(name in t.lower() for t in texts) for phase, texts in tally.typed.items()}
    out = {
        "counts": tally.counts,
        "points": 10,
        "retyped": retyped,
        "booked": booked,
    }
    with open(os.environ.get("BENCH_JOURNEY_OUT", "journey.json"), "w") as f:
        json.dump(out, f, indent=1)
