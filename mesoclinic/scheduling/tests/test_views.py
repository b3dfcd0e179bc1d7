"""The pages, as the personas use them: Frank at the front desk books and moves; Alice and
Nora see the schedule; Charlie, in another clinic, sees nothing of clinic A."""

import datetime as dt

import pytest
from django.urls import reverse

from mesoclinic.scheduling import actions, waitlist
from mesoclinic.scheduling.models import Appointment, Status, WaitingListEntry
from mesoclinic.scheduling.tests.conftest import TODAY, at
from tests.support import personas

pytestmark = pytest.mark.django_db


def _book(clinic_setup, frank, patient, hhmm="10:00", who="nora", room="room2", day=TODAY):
    return actions.book_appointment(
        personas.actor(frank),
        patient,
        protocol="face-mesolift",
        start=at(day, hhmm),
        practitioner=clinic_setup[who],
        room=clinic_setup[room],
    )


def test_frank_books_a_whole_plan_from_the_booking_page(
    clinic_setup, make_plan, patient, frank, login
):
    plan = make_plan(patient)
    client = login(frank)
    url = reverse("scheduling:book_plan", args=[plan.code])
    page = client.get(url)
    assert page.status_code == 200 and "Book all sessions" in page.text
    form = {"first_date": TODAY.isoformat(), "preferred_time": "10:00", "cream_in_clinic": "on"}
    preview = client.post(url, {**form, "action": "preview"}, headers={"HX-Request": "true"})
    assert preview.status_code == 200
    assert preview.text.count('type="radio" name="session-1"') >= 2  # the slot + alternatives
    assert not Appointment.objects.exists()
    done = client.post(url, {**form, "action": "book"})
    assert done.status_code == 302
    assert Appointment.objects.filter(plan=plan, status=Status.BOOKED).count() == 4


def test_a_bad_booking_form_shows_errors_next_to_fields_and_saves_nothing(
    clinic_setup, make_plan, patient, frank, login
):
    plan = make_plan(patient)
    client = login(frank)
    url = reverse("scheduling:book_plan", args=[plan.code])
    page = client.post(url, {"first_date": "", "preferred_time": "25:99", "action": "book"})
    assert page.status_code == 400
    assert "This field is required" in page.text and "Nothing has been booked" in page.text
    past = client.post(
        url, {"first_date": "2020-01-01", "preferred_time": "10:00", "action": "book"}
    )
    assert past.status_code == 400 and "today or a later day" in past.text
    assert not Appointment.objects.exists()


def test_a_taken_slot_is_refused_with_the_nearest_alternatives(
    clinic_setup, patient, frank, alice, login
):
    _book(clinic_setup, frank, personas.make_patient(personas.actor(alice), given="Other"))
    client = login(frank)
    page = client.post(
        reverse("scheduling:book_one", args=[patient.code]),
        {
            "protocol": "face-mesolift",
            "date": TODAY.isoformat(),
            "time": "10:00",
            "practitioner": clinic_setup["nora"].code,
            "room": clinic_setup["room2"].code,
        },
    )
    assert page.status_code == 400
    assert "already booked" in page.text and "Nearest free slots" in page.text
    assert Appointment.objects.count() == 1


def test_day_view_by_practitioner_and_by_room_with_htmx_navigation(
    clinic_setup, patient, frank, login
):
    _book(clinic_setup, frank, patient)
    client = login(frank)
    page = client.get(reverse("scheduling:day") + f"?date={TODAY}")
    assert page.status_code == 200
    assert patient.full_name in page.text and "Nora" in page.text and "<html" in page.text
    assert "not screened" in page.text  # the glance column
    part = client.get(
        reverse("scheduling:day") + f"?date={TODAY}&by=room", headers={"HX-Request": "true"}
    )
    assert part.status_code == 200 and "<html" not in part.text and "Room 2" in part.text
    assert 'hx-target="#schedule"' in part.text
    week = client.get(
        reverse("scheduling:week") + f"?practitioner={clinic_setup['nora'].code}&date={TODAY}"
    )
    assert week.status_code == 200 and patient.full_name in week.text


def test_the_day_view_shows_screening_and_gate_status(
    clinic_setup, make_plan, patient, frank, login
):
    plan = make_plan(patient)  # screened today (eligible), no consent yet
    actions.book_plan(personas.actor(frank), plan, first_date=TODAY, preferred_time=dt.time(10))
    page = login(frank).get(reverse("scheduling:day") + f"?date={TODAY}")
    assert "screened: eligible" in page.text
    assert "not ready:" in page.text and "consent" in page.text


def test_the_day_view_runs_a_fixed_number_of_queries(
    clinic_setup, make_plan, frank, alice, login, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(frank)
    url = reverse("scheduling:day") + f"?date={TODAY}"

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    first = personas.make_patient(personas.actor(alice), given="One")
    actions.book_plan(
        personas.actor(frank), make_plan(first), first_date=TODAY, preferred_time=dt.time(9)
    )
    count()  # the first view also stores the consent text's current version
    few = count()
    for i, hhmm in enumerate(["11:00", "12:00", "13:00", "14:00", "15:00"]):
        person = personas.make_patient(personas.actor(alice), given=f"More{i}")
        actions.book_plan(
            personas.actor(frank),
            make_plan(person),
            first_date=TODAY,
            preferred_time=dt.time.fromisoformat(hhmm),
        )
    assert Appointment.objects.filter(start__date=TODAY).count() >= 6
    assert count() == few


def test_move_and_cancel_from_the_appointment_page(
    clinic_setup, patient, reachable_patient, frank, login
):
    a = _book(clinic_setup, frank, patient, day=TODAY + dt.timedelta(days=1))
    waitlist.add_to_waiting_list(
        personas.actor(frank),
        reachable_patient,
        protocol="face-mesolift",
        earliest=TODAY,
        latest=TODAY + dt.timedelta(days=5),
    )
    client = login(frank)
    page = client.get(reverse("scheduling:appointment", args=[a.code]))
    assert page.status_code == 200 and "Move the appointment" in page.text
    bad = client.post(reverse("scheduling:move", args=[a.code]), {"date": "", "time": "10:00"})
    assert bad.status_code == 400 and "This field is required" in bad.text
    moved = client.post(
        reverse("scheduling:move", args=[a.code]),
        {"date": (TODAY + dt.timedelta(days=1)).isoformat(), "time": "11:30"},
    )
    assert moved.status_code == 302
    a.refresh_from_db()
    assert a.start == at(TODAY + dt.timedelta(days=1), "11:30")
    client.post(reverse("scheduling:cancel", args=[a.code]), {"reason": "ill"})
    a.refresh_from_db()
    assert a.status == Status.CANCELLED
    waiting = client.get(reverse("scheduling:waiting"))
    assert "Book the offered slot" in waiting.text
    entry = WaitingListEntry.objects.get()
    client.post(reverse("scheduling:waiting_book", args=[entry.code]))
    assert Appointment.objects.filter(patient=reachable_patient, status=Status.BOOKED).exists()


def test_setup_pages_for_the_front_desk(clinic_a, frank, alice, login):
    client = login(frank)
    assert client.get(reverse("scheduling:setup")).status_code == 200
    bad = client.post(reverse("scheduling:setup_save", args=["opening"]), {"hours": "often"})
    assert bad.status_code == 400 and "like" in bad.text
    ok = client.post(
        reverse("scheduling:setup_save", args=["opening"]), {"hours": "mon-fri 09:00-18:00"}
    )
    assert ok.status_code == 302
    added = client.post(
        reverse("scheduling:setup_save", args=["practitioner"]),
        {"user": alice.code, "protocols": ["face-mesolift"], "hours": "mon,wed 10:00-16:00"},
    )
    assert added.status_code == 302
    assert alice.practitioner.hours.count() == 2
    room = client.post(
        reverse("scheduling:setup_save", args=["room"]),
        {"name": "Room A", "protocols": ["face-mesolift", "hair"]},
    )
    assert room.status_code == 302


def test_charlie_in_another_clinic_sees_nothing(clinic_setup, patient, frank, charlie, login):
    a = _book(clinic_setup, frank, patient)
    client = login(charlie)
    assert client.get(reverse("scheduling:appointment", args=[a.code])).status_code == 404
    assert client.post(reverse("scheduling:cancel", args=[a.code])).status_code == 404
    assert client.get(reverse("scheduling:patient", args=[patient.code])).status_code == 404
    day = client.get(reverse("scheduling:day") + f"?date={TODAY}")
    assert day.status_code == 200 and patient.full_name not in day.text
    week = client.get(reverse("scheduling:week") + f"?practitioner={clinic_setup['nora'].code}")
    assert week.status_code == 404


def test_roles_and_anonymous_visitors(clinic_setup, adam, client, login):
    assert client.get(reverse("scheduling:day")).status_code == 302  # to sign in
    assert login(adam).get(reverse("scheduling:day")).status_code == 403  # admin: set-up only
    assert login(adam).get(reverse("scheduling:setup")).status_code == 200


def test_booking_a_series_through_htmx_leaves_for_the_patient_page_without_nesting_it(
    clinic_setup, make_plan, patient, frank, login
):
    plan = make_plan(patient)
    client = login(frank)
    url = reverse("scheduling:book_plan", args=[plan.code])
    form = {"first_date": TODAY.isoformat(), "preferred_time": "10:00", "action": "book"}
    done = client.post(url, form, headers={"HX-Request": "true"})
    assert done.status_code == 200
    assert done["HX-Redirect"] == reverse("scheduling:patient", args=[patient.code])
    assert "<html" not in done.text  # nothing for htmx to swap into the card
    assert Appointment.objects.filter(plan=plan, status=Status.BOOKED).count() == 4
    page = client.get(done["HX-Redirect"])
    assert "4 sessions booked." in page.text


def test_a_one_day_window_reads_as_one_date():
    from django.utils import translation

    with translation.override("en"):
        one = actions.no_slot_message(2, dt.date(2026, 12, 7), dt.date(2026, 12, 7))
        two = actions.no_slot_message(2, dt.date(2026, 12, 7), dt.date(2026, 12, 9))
    assert "between" not in one and one.count("2026") == 1 and "Dec" in one
    assert "between" in two and two.count("2026") == 2


def test_the_move_forms_alternatives_are_clickable_and_in_time_order(
    clinic_setup, patient, frank, alice, login
):
    other = personas.make_patient(personas.actor(alice), given="Other")
    _book(clinic_setup, frank, other, "11:00")
    mine = _book(clinic_setup, frank, patient, "14:00")
    client = login(frank)
    url = reverse("scheduling:move", args=[mine.code])
    form = {"date": TODAY.isoformat(), "time": "11:00", "practitioner": clinic_setup["nora"].code}
    page = client.post(url, form)
    assert page.status_code == 400 and "already booked" in page.text
    html = page.text[page.text.index("Nearest free slots") :]
    html = html[: html.index("</ul>")]
    assert html.count(f'action="{url}"') >= 2  # each one a form that moves in one click
    slots = list(
        zip(
            [c[:10] for c in html.split('name="date" value="')[1:]],
            [c[:5] for c in html.split('name="time" value="')[1:]],
            strict=True,
        )
    )
    assert slots == sorted(slots)
    date, time = slots[0]
    practitioner = html.split('name="practitioner" value="')[1][:36]
    room = html.split('name="room" value="')[1][:36]
    moved = client.post(
        url, {"date": date, "time": time, "practitioner": practitioner, "room": room}
    )
    assert moved.status_code == 302
    mine.refresh_from_db()
    assert mine.start.astimezone(at(TODAY, "00:00").tzinfo).strftime("%H:%M") == time
