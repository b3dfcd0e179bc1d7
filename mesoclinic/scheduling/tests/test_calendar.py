"""The calendar grid: appointments placed by time with type, patient and gate status; a
free step books; a move is checked like the appointment page's; a refusal moves nothing
and offers the nearest free slots, clickable and in time order."""

import datetime as dt

import pytest
from django.urls import reverse

from mesoclinic.scheduling import actions
from mesoclinic.scheduling.models import Appointment, AppointmentType
from mesoclinic.scheduling.tests.conftest import TODAY, at
from tests.support import personas

pytestmark = pytest.mark.django_db
DAY = TODAY + dt.timedelta(days=1)  # Wednesday 2 December


def _book(clinic_setup, frank, patient, hhmm="10:00", who="nora", room="room2", kind="treatment"):
    return actions.book_appointment(
        personas.actor(frank),
        patient,
        protocol="face-mesolift",
        start=at(DAY, hhmm),
        practitioner=clinic_setup[who],
        room=clinic_setup[room],
        appointment_type=kind,
    )


def _cal(**params):
    from urllib.parse import urlencode

    return f"{reverse('scheduling:calendar')}?{urlencode(params)}"


def test_the_day_grid_places_appointments_by_time_with_type_and_gate(
    clinic_setup, patient, frank, login
):
    a = _book(clinic_setup, frank, patient, "10:30", kind=AppointmentType.CONSULTATION)
    client = login(frank)
    page = client.get(_cal(on=DAY.isoformat()))
    assert page.status_code == 200
    html = page.text
    # opening 09:00: row 2 is 09:00, so 10:30 is row 8; 30 minutes span 2 steps
    block = html[html.index(f'data-code="{a.code}"') - 200 : html.index(f'data-code="{a.code}"')]
    assert "gr-8 gs-2" in block and "type-consultation" in block
    assert patient.full_name in html and "Consultation" in html and "not screened" in html
    # the booked steps are no links; a free step links to the booking form with its slot
    nora = clinic_setup["nora"]
    assert f"practitioner={nora.code}" in html and "time=10%3A30" not in html.split("Nora")[0]
    assert (
        'href="/scheduling/calendar/book?date=2026-12-02&amp;time=09%3A00&amp;practitioner=' in html
    )
    assert "style=" not in html.split("<main", 1)[1]  # strict CSP: no inline style


def test_the_week_grid_by_room_shows_one_rooms_week(clinic_setup, patient, frank, login):
    _book(clinic_setup, frank, patient, "11:00")
    client = login(frank)
    room2 = clinic_setup["room2"]
    page = client.get(_cal(view="week", by="room", owner=str(room2.code), on=DAY.isoformat()))
    assert page.status_code == 200
    assert "cols-7" in page.text and patient.full_name in page.text
    assert f"room={room2.code}" in page.text


def test_clicking_a_free_slot_books_it_with_the_slot_prefilled(clinic_setup, patient, frank, login):
    client = login(frank)
    nora = clinic_setup["nora"]
    url = reverse("scheduling:calendar_book")
    slot = {"date": DAY.isoformat(), "time": "14:00", "practitioner": str(nora.code)}
    found = client.get(url, {**slot, "q": patient.family_name})
    assert found.status_code == 200 and f"patient={patient.code}" in found.text
    form = client.get(url, {**slot, "patient": str(patient.code)})
    assert 'value="14:00"' in form.text and "Any free" in form.text
    done = client.post(
        url,
        {
            **slot,
            "patient": str(patient.code),
            "protocol": "face-mesolift",
            "appointment_type": "review",
        },
    )
    assert done.status_code == 302
    a = Appointment.objects.get()
    assert a.practitioner == nora and a.room is not None and a.appointment_type == "review"
    assert at(DAY, "14:00") == a.start and (a.end - a.start) == dt.timedelta(minutes=15)


def test_a_move_on_the_calendar_is_checked_and_a_refusal_offers_clickable_slots_in_order(
    clinic_setup, patient, alice, frank, login
):
    other_patient = personas.make_patient(personas.actor(alice), given="Deniz", family="Kaya")
    mine = _book(clinic_setup, frank, patient, "10:00")
    theirs = _book(clinic_setup, frank, other_patient, "12:00")
    client = login(frank)
    here = _cal(on=DAY.isoformat())
    move = reverse("scheduling:calendar_move")
    nora = str(clinic_setup["nora"].code)
    refused = client.post(
        move,
        {
            "appointment": str(mine.code),
            "date": DAY.isoformat(),
            "time": "12:00",
            "practitioner": nora,
            "next": here,
        },
    )
    assert refused.status_code == 400
    assert "was not moved" in refused.text and "already booked" in refused.text
    mine.refresh_from_db()
    assert mine.start == at(DAY, "10:00")  # nothing moved
    html = refused.text[refused.text.index('id="refusal"') :]
    html = html[: html.index("</div>")]
    values = [chunk[:5] for chunk in html.split('name="time" value="')[1:]]
    dates = [chunk[:10] for chunk in html.split('name="date" value="')[1:]]
    assert len(values) >= 2, "the alternatives are forms that move in one click"
    pairs = list(zip(dates, values, strict=True))
    assert pairs == sorted(pairs)  # in time order
    ok = client.post(
        move,
        {
            "appointment": str(mine.code),
            "date": DAY.isoformat(),
            "time": "15:00",
            "practitioner": nora,
            "next": here,
        },
    )
    assert ok.status_code == 302 and ok["Location"] == here
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.start == at(DAY, "15:00") and theirs.start == at(DAY, "12:00")


def test_the_calendar_is_for_staff_who_book_and_shows_only_this_clinic(
    clinic_setup, patient, frank, charlie, login
):
    _book(clinic_setup, frank, patient, "10:00")
    page = login(charlie).get(_cal(on=DAY.isoformat()))
    assert patient.full_name not in page.text
