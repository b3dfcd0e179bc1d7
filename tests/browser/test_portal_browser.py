"""The patient portal on a phone (390 x 844): invitation -> medical history -> consent ->
the appointment -> aftercare countdown -> a check-in answer -> a red-flag report -> the
clinic sees the alert. Steps whose screens belong to the staff (screening, plan, booking,
the session) go through the real actions. Screenshots in artifacts/screenshots/portal-*.
"""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from conftest import adam  # noqa: F401  (fixture)
from tests.browser.conftest import shot
from tests.support import personas

pytestmark = pytest.mark.browser

PASSWORD = "violet-harbour-kettle-49"
ON_CALL = "on-call@clinic-a.example"
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


@pytest.fixture
def phone(browser, live_server):
    """A phone-sized page that fails the test on any script error or CSP violation."""
    contexts, errors = [], []

    def open_page(viewport=(390, 844)):
        context = browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]}, locale="en-GB"
        )
        contexts.append(context)
        pg = context.new_page()
        pg.set_default_timeout(15000)
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        pg.on(
            "console",
            lambda msg: (
                errors.append(f"{msg.text} @ {msg.location}") if msg.type == "error" else None
            ),
        )
        pg.base = live_server.url
        return pg

    yield open_page
    for context in contexts:
        context.close()
    assert not errors, f"browser errors: {errors}"


@pytest.fixture
def clinic(settings, tmp_path, clinic_a, nora, frank, adam):  # noqa: F811
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.SMS_BACKEND = "mesoclinic.outbox.sms.LocmemBackend"
    settings.FOLLOWUP_FILES_ROOT = tmp_path / "followup"
    clinic_a.on_call_email = ON_CALL
    clinic_a.save()
    from tests.support.products import make_lot, make_product

    act = personas.actor(nora)
    product = make_product(
        act,
        name="HA booster",
        product_class="ha-skin-booster",
        ingredients=["sodium hyaluronate", "vitamin C"],
        patch_test_reading_minutes=30,
    )
    lot = make_lot(act, product, "HB-7", quantity="20")
    patient = personas.make_patient(
        personas.actor(frank), given="Elif", family="Aydın", email="elif@example.org"
    )
    return {"product": product, "lot": lot, "patient": patient}


def phone_shot(page, name: str) -> None:
    """A screenshot, after checking that the page fits the phone's width (no sideways scroll)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name}: {width}px wide"
    shot(page, name)


def draw_signature(page):
    canvas = page.get_by_role("img", name="Sign here with your finger")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 90)
    page.mouse.down()
    for x, y in [(70, 30), (130, 100), (200, 40), (300, 80)]:
        page.mouse.move(box["x"] + x, box["y"] + y, steps=4)
    page.mouse.up()


def staff_prepares_the_plan(nora, patient, product):
    """The physician screens the patient's own answers and plans the series; a negative
    patch test is read."""
    from mesoclinic.patchtests.actions import read_patch_test, record_patch_test
    from mesoclinic.screening.actions import screen_patient
    from mesoclinic.treatments.actions import create_plan

    act = personas.actor(nora)
    patient.refresh_from_db()
    today = timezone.localdate()
    screening = screen_patient(act, patient, "face-mesolift", today, [product.as_engine_product()])
    assert screening.decision == "eligible", screening.result
    now = timezone.now()
    test = record_patch_test(
        act,
        patient,
        substance=product.name,
        product_class=product.product_class,
        site="inner_forearm",
        applied_at=now - dt.timedelta(hours=2),
        reading_minutes=30,
    )
    read_patch_test(act, test, result="negative", read_at=now - dt.timedelta(minutes=30))
    return create_plan(
        act,
        patient,
        screening,
        start_date=today,
        sessions=4,
        products=[product],
        concerns=["fine lines"],
        zones=["forehead", "cheeks"],
    )


def test_portal_journey_on_a_phone(phone, clinic, nora, frank, adam, time_machine):  # noqa: F811
    from mesoclinic.followup.models import AdverseEvent, ClinicAlert
    from mesoclinic.portal.actions import invite_patient
    from tests.support import journeys

    patient, product, lot = clinic["patient"], clinic["product"], clinic["lot"]
    page = phone()

    # 1. the front desk invites the patient; she opens the link on her phone
    _inv, secret = invite_patient(
        personas.actor(frank), patient, link_for=lambda s: f"{page.base}/portal/invitation/{s}"
    )
    page.goto(f"{page.base}/portal/invitation/{secret}")
    expect(page.get_by_role("heading", name="Welcome, Elif")).to_be_visible()
    page.get_by_label("Choose a user name").fill("elif.aydin")
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("The same password again").fill(PASSWORD)
    phone_shot(page, "portal-01-invitation")
    page.get_by_role("button", name="Open my portal").click()
    expect(page.get_by_role("heading", name="Hello, Elif")).to_be_visible()
    phone_shot(page, "portal-02-home-first-visit")

    # 2. the medical history, from the phone
    page.get_by_role("link", name="Fill in your medical history").click()
    for fact in NO:
        page.locator(f"input[name=fact_{fact}][value=no]").check()
    page.get_by_label(re.compile("Do you have diabetes")).select_option("none")
    page.locator("input[name=fact_last_aspirin_or_nsaid][value=never]").check()
    page.locator("input[name=fact_isotretinoin_last_dose][value=never]").check()
    page.get_by_label("No known allergies").check()
    phone_shot(page, "portal-03-intake")
    page.get_by_role("button", name="Send to the clinic").click()
    expect(page.get_by_text("your medical history is saved")).to_be_visible()

    # 3. the clinic screens her answers and plans the series; she signs the consent
    plan = staff_prepares_the_plan(nora, patient, product)
    page.reload()
    page.get_by_role("link", name=re.compile("Sign your consent: Face mesolift")).click()
    expect(page.get_by_role("heading", name=re.compile("Consent: Face mesolift"))).to_be_visible()
    page.get_by_label("I have read the text above").check()
    draw_signature(page)
    phone_shot(page, "portal-04-consent")
    page.get_by_role("button", name="Sign the consent").click()
    expect(
        page.get_by_text(re.compile("your consent to Face mesolift .* is signed"))
    ).to_be_visible()

    # 4. the front desk books the first session; she sees it
    practitioner, room = journeys.scheduling_setup(adam)
    zone = timezone.get_current_timezone()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    start = dt.datetime.combine(tomorrow, dt.time(10, 0), tzinfo=zone)
    journeys.book(frank, plan, start, practitioner, room)
    page.get_by_role("link", name="Appointments", exact=True).click()
    expect(page.get_by_text(re.compile(r"10:00 · session 1"))).to_be_visible()
    phone_shot(page, "portal-05-appointment")

    # 5. the session is charted and signed off: the aftercare counts down
    session = journeys.signed_session(nora, plan, lot)
    assert any("aftercare" in m.subject.lower() for m in mail.outbox if m.to == [patient.email])
    page.get_by_role("link", name="Home").click()
    page.get_by_role("link", name="The whole aftercare sheet").click()
    makeup = page.locator("li", has_text="Make-up:").first
    expect(makeup).to_contain_text("allowed again from")
    expect(makeup.locator("[data-countdown]")).to_contain_text(re.compile(r"left\)"))
    phone_shot(page, "portal-06-aftercare-countdown")

    # 6. two days later she signs in again and answers the day-2 check-in
    time_machine.move_to(session.signed_at + dt.timedelta(days=2, hours=1), tick=True)
    page.goto(f"{page.base}/portal/")
    page.get_by_label("Username").fill("elif.aydin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Answer the day 2 check-in").click()
    page.get_by_label("I notice something").check()
    page.get_by_label("Redness", exact=True).check()
    page.get_by_label("Mild: noticeable, does not get in the way").check()
    phone_shot(page, "portal-07-checkin")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("This is a usual reaction after treatment")).to_be_visible()
    phone_shot(page, "portal-08-checkin-answered")
    assert not ClinicAlert.objects.exists()

    # 7. that evening her lips swell: she reports it; the emergency comes first
    page.get_by_role("link", name="Report a side effect").click()
    page.get_by_label("Swollen lips or tongue").check()
    page.get_by_label(re.compile(r"Hives \(raised")).check()
    page.get_by_label(re.compile("Severe: hard to bear")).check()
    phone_shot(page, "portal-09-report")
    page.get_by_role("button", name="Send and get advice").click()
    emergency = page.get_by_role("alert").filter(has_text="Call emergency services now")
    expect(emergency).to_be_visible()
    expect(emergency.get_by_role("link", name="Call 112")).to_be_visible()
    box = emergency.bounding_box()
    assert box["y"] < 300  # at the top of the screen, before anything else
    phone_shot(page, "portal-10-emergency")
    event = AdverseEvent.objects.get()
    assert event.level == "emergency" and event.source == "portal"
    assert any(m.to == [ON_CALL] and "EMERGENCY" in m.subject for m in mail.outbox)

    # 8. the clinic sees the alert and acknowledges it
    staff = phone(viewport=(1180, 820))
    staff.goto(f"{staff.base}/accounts/login?next=/followup/alerts/")
    staff.get_by_label("Username").fill("nora")
    staff.get_by_label("Password").fill(personas.PASSWORD)
    staff.get_by_role("button", name="Sign in").click()
    expect(staff.get_by_role("heading", name="Clinic alerts")).to_be_visible()
    card = staff.locator("section.alert-card")
    expect(card).to_contain_text("Elif Aydın")
    expect(card).to_contain_text("Emergency")
    expect(card).to_contain_text("Swollen lips or tongue")
    shot(staff, "portal-11-clinic-alert")
    card.get_by_role("button", name=re.compile("Acknowledge")).click()
    expect(staff.get_by_text("No open alerts.")).to_be_visible()
    assert ClinicAlert.objects.get().acknowledged_by == nora
