"""The patient's pages: medical history, consent, appointments and change requests,
aftercare with a countdown, check-ins, reporting a side effect (emergency first), GAIS."""

import datetime as dt

import pytest

from mesoclinic.consent.tests.helpers import png_data_url
from mesoclinic.followup.models import AdverseEvent, CheckIn, ClinicAlert, GaisScore
from mesoclinic.patients.models import IntakeVersion
from mesoclinic.portal.models import AppointmentChangeRequest
from tests.support import journeys, personas

pytestmark = pytest.mark.django_db


def test_home_lists_what_to_do_first(portal):
    page = portal.get("/portal/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Hello, Ayşe" in html and "Fill in your medical history" in html
    assert 'name="viewport"' in html
    assert "Report a side effect" in html


def test_the_medical_history_is_recorded_as_the_patients_own(portal, patient, ayse):
    page = portal.get("/portal/medical-history")
    assert page.status_code == 200
    html = page.content.decode()  # the same questions as the staff intake, new ones included
    assert 'name="fact_last_filler_or_other_injectable"' in html
    assert 'name="fact_planned_sun_exposure_date"' in html
    assert 'name="fact_implanted_devices"' in html
    bad = portal.post(
        "/portal/medical-history",
        {"fact_last_aspirin_or_nsaid": "date", "fact_last_aspirin_or_nsaid_date": ""},
    )
    assert bad.status_code == 400 and not IntakeVersion.objects.exists()
    r = portal.post(
        "/portal/medical-history",
        {"fact_pregnant": "no", "fact_allergies_none": "on", "fact_diabetes": "none"},
    )
    assert r.status_code == 302
    version = IntakeVersion.objects.get()
    assert version.source == "portal" and version.created_by == ayse
    assert version.answers["pregnant"] is False and version.answers["allergies"] == []
    assert "Fill in your medical history" not in portal.get("/portal/").content.decode()


def test_consent_is_signed_online_for_the_plan(portal, nora, patient, booster, ayse):
    from mesoclinic.consent.access import consent_status
    from mesoclinic.consent.models import Consent
    from mesoclinic.screening.actions import screen_patient
    from mesoclinic.treatments.actions import create_plan

    product, _lot = booster
    act = personas.actor(nora)
    personas.make_intake(act, patient)
    screening = screen_patient(
        act, patient, "face-mesolift", dt.date(2026, 12, 1), [product.as_engine_product()]
    )
    plan = create_plan(
        act,
        patient,
        screening,
        start_date=dt.date(2026, 12, 1),
        sessions=4,
        products=[product],
        concerns=[],
        zones=["forehead"],
    )
    home = portal.get("/portal/").content.decode()
    assert "Sign your consent: Face mesolift" in home
    url = f"/portal/consent/{plan.code}/sign"
    page = portal.get(url)
    assert page.status_code == 200 and b"Hyaluronic acid skin booster" in page.content
    template = page.context["template"]
    unsigned = portal.post(
        url, {"understood": "on", "signer_name": "Ayşe Yılmaz", "template": str(template.code)}
    )
    assert unsigned.status_code == 400 and b"Sign in the box" in unsigned.content
    assert not Consent.objects.exists()
    r = portal.post(
        url,
        {
            "understood": "on",
            "signer_name": "Ayşe Yılmaz",
            "signature": png_data_url(),
            "template": str(template.code),
            "language": "en",
        },
    )
    assert r.status_code == 302
    consent = Consent.objects.get()
    assert consent.product_classes == ["ha-skin-booster"] and not consent.typed_signature
    assert consent.witnessed_by == ayse
    assert consent_status(act, patient, "face-mesolift", ["ha-skin-booster"]).valid
    assert "Sign your consent" not in portal.get("/portal/").content.decode()
    assert b"Signed on" in portal.get("/portal/consent/").content


@pytest.fixture
def booked(adam, frank, plan):
    practitioner, room = journeys.scheduling_setup(adam)
    start = dt.datetime(2026, 12, 3, 11, 0, tzinfo=dt.UTC)
    return journeys.book(frank, plan, start, practitioner, room)


def test_appointments_and_a_change_request_inside_the_window(portal, booked, frank, login):
    page = portal.get("/portal/appointments/")
    assert page.status_code == 200 and "Thursday 3 December 2026, 14:00" in page.content.decode()
    url = f"/portal/appointments/{booked.code}/change"
    form = portal.get(url)
    earliest, latest = form.context["window"]
    assert earliest == dt.date(2026, 12, 2)  # from tomorrow
    assert latest == dt.date(2026, 12, 8)  # the first window: start + (21 - 14) days
    outside = portal.post(
        url, {"earliest": "2026-12-02", "latest": "2026-12-20", "part_of_day": "any"}
    )
    assert outside.status_code == 400 and b"Choose days between" in outside.content
    assert not AppointmentChangeRequest.objects.exists()
    r = portal.post(
        url,
        {
            "earliest": "2026-12-04",
            "latest": "2026-12-07",
            "part_of_day": "morning",
            "note": "Work",
        },
    )
    assert r.status_code == 302
    req = AppointmentChangeRequest.objects.get()
    assert (req.earliest, req.latest, req.status) == (
        dt.date(2026, 12, 4),
        dt.date(2026, 12, 7),
        "open",
    )
    assert b"the clinic will confirm" in portal.get("/portal/appointments/").content
    again = portal.post(
        url, {"earliest": "2026-12-04", "latest": "2026-12-05", "part_of_day": "any"}
    )
    assert again.status_code == 400
    # the front desk sees it and marks it handled
    staff = login(frank)
    assert b"Work" in staff.get("/portal/staff/requests/").content
    assert (
        staff.post(
            f"/portal/staff/requests/{req.code}", {"done": "1", "answer": "Friday 10:00"}
        ).status_code
        == 302
    )
    req.refresh_from_db()
    assert req.status == "done" and req.handled_by == frank


def test_aftercare_with_a_countdown(portal, session, later):
    page = portal.get(f"/portal/aftercare/{session.code}")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Make-up</strong>:" in html and "allowed again from Wed 2 Dec, 10:00" in html
    assert 'data-countdown="2026-12-02T10:00:00+03:00"' in html
    assert "portal/countdown.js" in html
    assert "What is normal, and for how long" in html
    home = portal.get("/portal/").content.decode()
    assert "Aftercare: Face mesolift" in home
    later(days=1, hours=1)
    portal.force_login(session.patient.portal_account.user)
    assert "Make-up</strong>" not in portal.get("/portal/").content.decode()  # over now


def test_a_check_in_answer_all_is_well(portal, session, later, ayse):
    c2 = CheckIn.objects.get(session=session, day=2)
    early = portal.get(f"/portal/check-ins/{c2.code}")
    assert b"This check-in opens on" in early.content
    not_yet = portal.post(f"/portal/check-ins/{c2.code}", {"how": "well"})
    assert not_yet.status_code == 400 and b"not open yet" in not_yet.content
    assert not CheckIn.objects.get(pk=c2.pk).is_answered
    later(days=2, hours=1)
    portal.force_login(ayse)
    assert b"Answer the day 2 check-in" in portal.get("/portal/").content
    contradiction = portal.post(
        f"/portal/check-ins/{c2.code}", {"how": "well", "symptoms": ["redness"]}
    )
    assert contradiction.status_code == 400
    r = portal.post(f"/portal/check-ins/{c2.code}", {"how": "well"})
    assert r.status_code == 302
    c2.refresh_from_db()
    assert c2.is_answered and c2.answered_by == ayse and c2.symptoms == []
    assert b"all is well" in portal.get(f"/portal/check-ins/{c2.code}").content


def test_a_red_flag_at_a_check_in_tells_the_patient_and_alerts_the_clinic(
    portal, session, later, ayse
):
    later(days=7, hours=1)
    portal.force_login(ayse)
    c7 = CheckIn.objects.get(session=session, day=7)
    r = portal.post(
        f"/portal/check-ins/{c7.code}",
        {"how": "something", "symptoms": ["pus"], "severity": "moderate"},
    )
    event = AdverseEvent.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/portal/side-effect/{event.code}"
    assert event.source == "checkin" and event.level == "urgent"
    assert ClinicAlert.objects.filter(adverse_event=event).exists()
    result = portal.get(r["Location"]).content.decode()
    assert "Contact your clinic now" in result and "The clinic has been told" in result


def test_reporting_an_emergency_says_call_emergency_services_first(portal, session, later, ayse):
    later(hours=3)
    portal.force_login(ayse)
    form = portal.get("/portal/side-effect")
    assert form.status_code == 200 and b"Swollen lips or tongue" in form.content
    r = portal.post(
        "/portal/side-effect",
        {
            "session": str(session.code),
            "symptoms": ["lip_or_tongue_swelling", "hives"],
            "severity": "severe",
        },
    )
    event = AdverseEvent.objects.get()
    assert event.level == "emergency" and event.source == "portal" and event.reported_by == ayse
    html = portal.get(r["Location"]).content.decode()
    first = html.index("Call emergency services now")
    assert first < html.index("<h1>What to do now")
    assert 'href="tel:112"' in html
    assert ClinicAlert.objects.get().level == "emergency"


def test_a_report_needs_something_ticked(portal, session):
    r = portal.post("/portal/side-effect", {"session": str(session.code), "severity": "mild"})
    assert r.status_code == 400 and b"Tick at least one thing" in r.content
    assert not AdverseEvent.objects.exists()


def test_the_patient_rates_the_result(portal, session):
    url = f"/portal/sessions/{session.code}/rate"
    assert portal.get(url).status_code == 200
    assert portal.post(url, {}).status_code == 400
    assert portal.post(url, {"score": "2"}).status_code == 302
    gais = GaisScore.objects.get()
    assert gais.rater == "patient" and gais.score == 2
    assert b"Much improved" in portal.get(url).content


def test_ask_a_question(portal, session):
    page = portal.get("/portal/ask")
    assert page.status_code == 200
    answered = portal.get("/portal/ask", {"q": "When can I wear make-up again?"})
    assert answered.status_code == 200
    assert answered.context["result"]["kind"] in ("answer", "refuse")
    urgent = portal.get("/portal/ask", {"q": "My lips are swelling and I cannot breathe"})
    html = urgent.content.decode()
    assert urgent.context["result"]["kind"] == "urgent"
    assert html.index("Call emergency services now") < html.index("<h1>Ask a question")


def test_the_patient_sees_the_trend_of_each_face_region(
    portal, nora, patient, ayse, settings, tmp_path
):
    import datetime as dt

    from mesoclinic.audit.models import AuditEvent
    from mesoclinic.photos import actions as photo_actions
    from mesoclinic.photos.models import Photo
    from mesoclinic.photos.tests.conftest import jpeg

    settings.PHOTOS_ROOT = tmp_path / "photos"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    act = personas.actor(nora)
    day = dt.date(2026, 10, 1)
    photo_actions.record_consent(act, patient, scope="patient", signer_name=patient.full_name,
                                 signed_on=day)  # fmt: skip
    for i, k in enumerate((1.0, 0.8)):
        p = photo_actions.upload_photo(
            act, patient, data=jpeg(), view="front", taken_on=day + dt.timedelta(days=30 * i)
        )
        regions = {"face": {"pigmented_area_pct": 3.2 * k, "mean_a_star": 9.1 * k},
                   "left_cheek": {"pigmented_area_pct": 4.5 * k, "mean_a_star": 10.0 * k}}  # fmt: skip
        Photo.objects.filter(pk=p.pk).update(analysis={"regions": regions})
    page = portal.get("/portal/progress")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('<svg class="trend"') == 2 and "left cheek" in html and "<img" not in html
    assert AuditEvent.objects.filter(summary__startswith="photo measure trends").exists()
    assert "/portal/progress" in portal.get("/portal/").content.decode()
