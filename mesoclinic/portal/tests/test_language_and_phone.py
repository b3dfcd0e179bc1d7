"""Issue 13: the portal speaks the patient's preferred language (and the patient can change
it, audited); the clinic's phone is a tap-to-call link beside every "contact your clinic"
advice, in the portal, the aftercare sheet and its e-mail, in both languages."""

import datetime as dt

import pytest
from django.core import mail

from mesoclinic.audit.models import AuditEvent
from tests.support import journeys, personas

pytestmark = pytest.mark.django_db

PHONE = "+90 212 555 01 01"
TEL = 'href="tel:+902125550101"'


@pytest.fixture
def clinic_phone(patient):
    clinic = patient.clinic
    clinic.phone = PHONE
    clinic.save()
    return clinic


@pytest.fixture
def booked(adam, frank, plan):
    """Thursday 3 December 2026, 14:00 at the clinic: two days away."""
    practitioner, room = journeys.scheduling_setup(adam)
    start = dt.datetime(2026, 12, 3, 11, 0, tzinfo=dt.UTC)
    return journeys.book(frank, plan, start, practitioner, room)


def _speak(patient, lang):
    patient.language = lang
    patient.save()


def test_the_portal_follows_the_patients_language_not_the_browsers(portal, patient):
    _speak(patient, "tr")
    page = portal.get("/portal/", headers={"accept-language": "en"})
    html = page.content.decode()
    assert '<html lang="tr">' in html and "Randevular" in html
    assert page.headers["Content-Language"] == "tr"
    _speak(patient, "en")
    html = portal.get("/portal/", headers={"accept-language": "tr"}).content.decode()
    assert '<html lang="en">' in html and "Appointments" in html


def test_the_patient_changes_their_language_and_it_is_audited(portal, patient):
    _speak(patient, "en")
    assert portal.get("/portal/profile").status_code == 200
    r = portal.post("/portal/profile", {"language": "tr", "next": "/portal/appointments/"})
    assert r.status_code == 302 and r["Location"] == "/portal/appointments/"
    patient.refresh_from_db()
    assert patient.language == "tr"
    event = AuditEvent.objects.get(action="update", patient_code=patient.code)
    assert event.detail == {"changed": {"language": ["en", "tr"]}}
    assert '<html lang="tr">' in portal.get("/portal/appointments/").content.decode()
    # somewhere else is not a place to go back to; a made-up language is refused
    r = portal.post("/portal/profile", {"language": "en", "next": "https://evil.example/"})
    assert r["Location"] == "/portal/profile"
    bad = portal.post("/portal/profile", {"language": "xx"})
    assert bad.status_code == 400
    patient.refresh_from_db()
    assert patient.language == "en"


def test_a_patient_cannot_set_another_patients_language(ayse, alice, patient):
    from django.core.exceptions import PermissionDenied

    from mesoclinic.patients.actions import set_language

    other = personas.make_patient(personas.actor(alice), given="Zeynep", family="Ak")
    with pytest.raises(PermissionDenied):
        set_language(personas.actor(ayse), other, "tr")


@pytest.mark.parametrize(("lang", "call"), [("en", "Call Clinic A:"), ("tr", "Clinic A telefonu:")])
def test_the_aftercare_sheet_gives_the_clinics_phone(
    portal, login, nora, session, patient, clinic_phone, lang, call
):
    _speak(patient, lang)
    html = portal.get(f"/portal/aftercare/{session.code}").content.decode()
    assert call in html and TEL in html and f">{PHONE}</a>" in html
    staff = login(nora).get(f"/followup/sessions/{session.code}/aftercare").content.decode()
    assert TEL in staff


@pytest.mark.parametrize(
    ("lang", "expect"), [("en", f"Call Clinic A: {PHONE}"), ("tr", f"Clinic A telefonu: {PHONE}")]
)
def test_the_aftercare_e_mail_is_in_the_patients_language_with_the_phone(
    nora,
    plan,
    lot,
    patient,
    clinic_phone,
    settings,
    django_capture_on_commit_callbacks,
    lang,
    expect,
):
    settings.SITE_URL = "https://clinic.example.org"
    patient.email = "ayse@example.org"
    _speak(patient, lang)
    with django_capture_on_commit_callbacks(execute=True):
        journeys.signed_session(nora, plan, lot)
    (sent,) = [m for m in mail.outbox if m.to == ["ayse@example.org"]]
    assert expect in sent.body and "https://clinic.example.org/portal/" in sent.body
    assert ("Uyarı" in sent.body) == (lang == "tr")


def test_triage_advice_in_the_portal_comes_with_the_phone(
    portal, session, later, ayse, clinic_phone
):
    later(hours=30)
    portal.force_login(ayse)
    r = portal.post(
        "/portal/side-effect",
        {"session": str(session.code), "symptoms": ["pus"], "severity": "moderate"},
    )
    html = portal.get(r["Location"]).content.decode()
    assert "Contact your clinic" in html and TEL in html
    assert TEL in portal.get("/portal/ask").content.decode()


def test_no_phone_no_empty_link(portal, session):
    html = portal.get(f"/portal/aftercare/{session.code}").content.decode()
    assert 'href="tel:"' not in html and "clinic-phone" not in html


def test_the_invitation_e_mail_is_in_the_patients_language(
    login, frank, patient, django_capture_on_commit_callbacks
):
    patient.email = "ayse@example.org"
    _speak(patient, "tr")
    with django_capture_on_commit_callbacks(execute=True):
        login(frank).post(f"/portal/staff/patients/{patient.code}/invite")
    (message,) = mail.outbox
    assert "hasta portal" in message.subject.lower() or "portal" in message.subject
    assert "Sayın" in message.body


@pytest.mark.parametrize(
    ("lang", "heading", "late", "ahead"),
    [
        ("en", "How to prepare for", "this advice was for the 2 weeks", "Skip strenuous exercise"),
        ("tr", "için nasıl hazırlanmalısınız", "bu öneri seanstan önceki 2 hafta", "egzersiz"),
    ],
)
def test_the_appointments_page_says_how_to_prepare_as_of_now(
    portal, patient, booked, clinic_phone, lang, heading, late, ahead
):
    """A patient reached only by SMS follows its link here: the instructions, with what
    still applies of those whose window has begun, the safety line and the phone."""
    _speak(patient, lang)
    html = portal.get("/portal/appointments/").content.decode()
    assert heading in html and late in html and ahead in html and TEL in html
    assert "reçeteyi yazan" in html if lang == "tr" else "prescribing doctor" in html
