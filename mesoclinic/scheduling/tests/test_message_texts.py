"""What scheduling's messages say (issue 13): SMS texts of their own in at most two
segments, with the portal's link and the clinic's phone; no preparation advice whose
window has passed; the patient's own language; absolute links under SITE_URL."""

import datetime as dt

import pytest

from mesoclinic.engine.knowledge import load
from mesoclinic.outbox import actions as outbox
from mesoclinic.outbox.segments import count
from mesoclinic.scheduling import actions
from mesoclinic.scheduling.models import Kind
from mesoclinic.scheduling.sms_texts import sms
from mesoclinic.scheduling.tests.conftest import TODAY, at
from mesoclinic.scheduling.texts import SAFETY, letter, render
from tests.support import personas

pytestmark = pytest.mark.django_db

SITE = "https://klinik.example.com.tr"
PHONE = "+90 212 555 01 01"


@pytest.fixture
def clinic(clinic_setup, clinic_a, settings):
    settings.SITE_URL = SITE
    clinic_a.name = "Işıl Estetik ve Mezoterapi Kliniği"  # a long name, non-GSM letters
    clinic_a.phone = PHONE
    clinic_a.save()
    return clinic_a


def _book(clinic_setup, frank, patient, protocol, day, hhmm="10:00"):
    return actions.book_appointment(
        personas.actor(frank),
        patient,
        protocol=protocol,
        start=at(day, hhmm),
        practitioner=clinic_setup["alice"],
        room=clinic_setup["room1"],
    )


def _messages(a, patient, channel):
    """One message of every kind about appointment `a`, unsaved (rendered as sent)."""
    start = int(a.start.timestamp())
    common = {"clinic": a.clinic, "channel": channel, "patient": patient}
    return [
        outbox.planned("p", Kind.PREPARE, a.start, about=a, params={"start": start}, **common),
        *[
            outbox.planned(
                "r",
                Kind.REMINDER,
                a.start,
                about=a,
                **common,
                params={"start": start, "offset_minutes": minutes},
            )
            for minutes in (2 * 24 * 60, 120)
        ],
        outbox.planned("f", Kind.FOLLOWUP, a.start, about=a, params={"day": 14}, **common),
        outbox.planned(
            "c",
            Kind.RECALL,
            a.start,
            **common,
            params={"protocol": a.protocol, "from": "2027-03-01", "until": "2027-06-30"},
        ),
        outbox.planned(
            "o", Kind.OFFER, a.start, **common, params={"protocol": a.protocol, "start": start}
        ),
    ]


@pytest.mark.parametrize("lang", ["en", "tr"])
@pytest.mark.parametrize("protocol", sorted(load().protocols))
def test_every_sms_fits_two_segments_with_the_portal_and_the_phone(
    clinic, clinic_setup, frank, reachable_patient, lang, protocol
):
    reachable_patient.language = lang
    reachable_patient.save()
    a = _book(clinic_setup, frank, reachable_patient, protocol, TODAY + dt.timedelta(days=20))
    for message in _messages(a, reachable_patient, "sms"):
        text = sms(message)
        c = count(text)
        assert c.segments <= 2, (message.kind, c, text)
        assert f"{SITE}/portal/" in text and PHONE in text, text
        if lang == "tr":
            assert c.encoding == "UCS-2"  # Turkish letters are counted as such


def test_a_short_clinic_name_keeps_its_place_in_the_sms(
    clinic, clinic_setup, frank, reachable_patient
):
    clinic.name = "Mesoclinic Demo"
    clinic.save()
    a = _book(clinic_setup, frank, reachable_patient, "face-mesolift", TODAY + dt.timedelta(20))
    (prepare, *_rest) = _messages(a, reachable_patient, "sms")
    text = letter(prepare).sms
    assert text.startswith("Mesoclinic Demo: Face mesolift on ") and "Details: https" in text


@pytest.mark.parametrize(
    ("lang", "original", "late", "prescriber", "ahead"),
    [
        (
            "en",
            "do not take aspirin",
            "Aspirin and anti-inflammatory painkillers: this advice was for the 2 weeks",
            "keep taking it and ask your prescribing doctor",
            "Skip strenuous exercise for 24 hours",
        ),
        (
            "tr",
            "aspirin ya da ibuprofen gibi",
            "Aspirin ve iltihap giderici ağrı kesiciler: bu öneri seanstan önceki 2 hafta",
            "reçeteyi yazan doktorunuza danışın",
            "yoğun egzersiz yapmayın",
        ),
    ],
)
def test_advice_whose_window_has_passed_is_not_given_what_still_applies_is(
    clinic, clinic_setup, frank, reachable_patient, lang, original, late, prescriber, ahead
):
    """Booked 2 days ahead: "no aspirin for 2 weeks before" can no longer be followed."""
    reachable_patient.language = lang
    reachable_patient.save()
    a = _book(clinic_setup, frank, reachable_patient, "face-mesolift", TODAY + dt.timedelta(2))
    prepare = a.messages.get(kind=Kind.PREPARE, channel="email")
    _subject, body = render(prepare)
    assert original not in body
    (line,) = [line for line in body.splitlines() if late in line]
    assert prescriber in line  # never "stop a prescribed medicine"
    assert SAFETY() in body if lang == "en" else "reçeteyi yazan" in body
    # an instruction whose window is still ahead is given as it stands, with its moment
    exercise = (a.start - dt.timedelta(hours=24)).strftime("%H:%M")
    (line,) = [line for line in body.splitlines() if ahead in line]
    assert exercise in line and "this advice was for" not in line


def test_advice_still_ahead_is_given_as_it_stands(clinic, clinic_setup, frank, reachable_patient):
    a = _book(clinic_setup, frank, reachable_patient, "face-mesolift", TODAY + dt.timedelta(20))
    prepare = a.messages.get(kind=Kind.PREPARE, channel="email")
    _subject, body = render(prepare)
    assert "do not take aspirin" in body and "this advice was for" not in body


@pytest.mark.parametrize(
    ("lang", "call"),
    [("en", f"call the clinic ({PHONE})"), ("tr", f"kliniği arayın ({PHONE})")],
)
def test_every_email_gives_the_clinics_phone_and_an_absolute_portal_link(
    clinic, clinic_setup, frank, reachable_patient, lang, call
):
    reachable_patient.language = lang
    reachable_patient.save()
    a = _book(clinic_setup, frank, reachable_patient, "face-mesolift", TODAY + dt.timedelta(20))
    for message in _messages(a, reachable_patient, "email"):
        subject, body = render(message)
        assert PHONE in body, (message.kind, body)
        assert f"{SITE}/portal/" in body
        if message.kind in (Kind.PREPARE, Kind.REMINDER, Kind.RECALL, Kind.OFFER):
            assert call in body, (message.kind, body)


def test_each_message_is_in_the_patients_language(
    clinic, clinic_setup, frank, reachable_patient, settings
):
    settings.LANGUAGE_CODE = "en"
    reachable_patient.language = "tr"
    reachable_patient.save()
    a = _book(clinic_setup, frank, reachable_patient, "face-mesolift", TODAY + dt.timedelta(20))
    prepare = a.messages.get(kind=Kind.PREPARE, channel="email")
    subject, body = render(prepare)
    assert "seans" in subject.lower() and "Sayın" in body
    assert "Yüz mezolifti" in letter(a.messages.get(kind=Kind.PREPARE, channel="sms")).sms
