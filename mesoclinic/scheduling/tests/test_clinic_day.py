"""One clinic day for everyone. The server runs in UTC and clinic A is in Auckland: at
20:30 UTC on Tuesday 1 December 2026 it is already 09:30 on Wednesday 2 December at the
clinic. The screening check, the ready-to-treat gate, the day view and the booking windows
must all say that today is Wednesday. On the days Auckland's clocks change, bookings land
on the right moment and show the time the desk typed; times the clock skips or repeats
are refused with a message that says why."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from mesoclinic.consent.actions import sign_consent
from mesoclinic.consent.versions import current_template
from mesoclinic.outbox.models import Message
from mesoclinic.scheduling import actions, resources, texts
from mesoclinic.scheduling.models import Appointment, Kind
from mesoclinic.screening.actions import Refused as ScreeningRefused
from mesoclinic.screening.actions import screen_patient
from mesoclinic.treatments.gate import check_gate
from tests.support import personas

pytestmark = pytest.mark.django_db

AKL = ZoneInfo("Pacific/Auckland")
EVENING_UTC = dt.datetime(2026, 12, 1, 20, 30, tzinfo=dt.UTC)
SERVER_TODAY, CLINIC_TODAY = dt.date(2026, 12, 1), dt.date(2026, 12, 2)
PROTOCOL = "face-mesolift"


@pytest.fixture
def auckland(clinic_a, settings, time_machine):
    settings.TIME_ZONE = "UTC"
    time_machine.move_to(EVENING_UTC, tick=False)
    clinic_a.timezone = "Pacific/Auckland"
    clinic_a.save()
    return clinic_a


def _consent(user, patient):
    sign_consent(
        personas.actor(user),
        patient,
        template=current_template(PROTOCOL),
        product_classes=["ha-skin-booster"],
        signer_name=patient.full_name,
        typed_signature=True,
    )


def test_screening_gate_day_view_and_booking_agree_on_the_clinics_day(
    auckland, clinic_setup, make_plan, patient, nora, frank, login
):
    nurse = personas.actor(nora)
    # screening: the server's date has passed at the clinic; the clinic's date is today
    personas.make_intake(nurse, patient)
    with pytest.raises(ScreeningRefused, match="The planned date has passed"):
        screen_patient(nurse, patient, PROTOCOL, SERVER_TODAY)
    plan = make_plan(patient, start=CLINIC_TODAY)  # screens for the clinic's today
    _consent(nora, patient)

    # the gate finds today's screening: today is the clinic's day
    gate = {i.key: i for i in check_gate(nurse, plan)}
    assert gate["screening"].ok, gate["screening"].message
    assert all(i.ok for i in gate.values())

    # booking windows: the server's date is in the clinic's past
    desk = personas.actor(frank)
    with pytest.raises(actions.Refused) as refused:
        actions.book_plan(desk, plan, first_date=SERVER_TODAY, preferred_time=dt.time(10))
    assert refused.value.message_dict == {"first_date": ["Choose today or a later day."]}
    client = login(frank)
    page = client.get(reverse("scheduling:book_plan", args=[plan.code]))
    assert page.context["form"]["first_date"].value() == CLINIC_TODAY
    booked = actions.book_plan(desk, plan, first_date=CLINIC_TODAY, preferred_time=dt.time(10))
    first = booked[0]
    assert first.start.astimezone(AKL) == dt.datetime(2026, 12, 2, 10, 0, tzinfo=AKL)

    # the day view opens on the clinic's today, shows the clinic's time, and its glance
    # agrees with the gate
    day = client.get(reverse("scheduling:day"))
    assert day.context["day"] == CLINIC_TODAY and day.context["today"] == CLINIC_TODAY
    html = day.content.decode()
    assert "Wednesday 2 December 2026" in html
    row = re.search(r'<time datetime="([^"]+)">([^<]+)</time>.*?</li>', html, re.S)
    assert row[1] == "2026-12-02T10:00:00+13:00" and row[2].startswith("10:00–")
    assert "screened: eligible" in row[0] and "ready to treat" in row[0]

    # and the session starts through the web: the page's gate has the same today
    start = login(nora).post(reverse("treatments:start", args=[plan.code]))
    assert start.status_code == 302, start.content.decode()
    assert plan.sessions.count() == 1


def test_the_week_view_counts_the_clinics_week(
    auckland, clinic_setup, make_plan, patient, frank, login
):
    plan = make_plan(patient, start=CLINIC_TODAY)
    actions.book_plan(
        personas.actor(frank), plan, first_date=CLINIC_TODAY, preferred_time=dt.time(9)
    )
    first = Appointment.objects.filter(plan=plan).order_by("start").first()
    page = login(frank).get(reverse("scheduling:week") + f"?practitioner={first.practitioner.code}")
    days = dict(page.context["days"])
    assert page.context["monday"] == dt.date(2026, 11, 30)
    assert [a.pk for a in days[CLINIC_TODAY]] == [first.pk]  # 09:00 Wednesday, not Tuesday
    assert days[SERVER_TODAY] == []


@pytest.fixture
def open_every_day(clinic_a, adam, alice):
    """Clinic A in Auckland, open every day 08:00-18:00, Alice working all of it."""
    clinic_a.timezone = "Pacific/Auckland"
    clinic_a.save()
    act = personas.actor(adam)
    resources.set_opening_hours(act, "mon-sun 08:00-18:00")
    return {
        "alice": resources.save_practitioner(
            act, alice, protocols=[PROTOCOL], hours="mon-sun 08:00-18:00"
        ),
        "room": resources.save_room(act, name="Room 1", protocols=[PROTOCOL]),
    }


def test_a_day_the_clocks_go_forward_books_and_shows_local_times(
    open_every_day, reachable_patient, frank, login, settings, time_machine
):
    settings.TIME_ZONE = "UTC"
    # Friday 25 September 2026, 09:00 in Auckland; the clocks go forward on Sunday at 02:00
    time_machine.move_to(dt.datetime(2026, 9, 25, 9, 0, tzinfo=AKL), tick=False)
    client = login(frank)
    url = reverse("scheduling:book_one", args=[reachable_patient.code])
    form = {
        "protocol": PROTOCOL,
        "date": "2026-09-27",
        "time": "10:00",
        "practitioner": str(open_every_day["alice"].code),
        "room": str(open_every_day["room"].code),
    }
    assert client.post(url, form).status_code == 302
    a = Appointment.objects.get(patient=reachable_patient)
    assert a.start == dt.datetime(2026, 9, 26, 21, 0, tzinfo=dt.UTC)  # 10:00 NZDT (+13)

    day = client.get(reverse("scheduling:day") + "?date=2026-09-27").content.decode()
    assert "Sunday 27 September 2026" in day and "10:00–" in day
    detail = client.get(reverse("scheduling:appointment", args=[a.code]))
    assert detail.context["form"]["time"].value() == dt.time(10, 0)

    # the reminders: 48 hours before is Friday 09:00 NZST, and the text says 10:00 Sunday
    reminders = Message.objects.filter(
        appointment=a, kind=Kind.REMINDER, params__offset_minutes=2880
    )
    assert reminders  # by e-mail and SMS
    for reminder in reminders:
        assert reminder.due_at == a.start - dt.timedelta(hours=48)
        assert reminder.due_at.astimezone(AKL) == dt.datetime(2026, 9, 25, 9, 0, tzinfo=AKL)
        _subject, body = texts.render(reminder)
        assert "Sunday 27 September 2026 10:00" in body

    # a time the clock skips is refused with a message, and nothing is booked
    skipped = client.post(url, {**form, "time": "02:30"})
    assert skipped.status_code == 400
    assert (
        "02:30 on 27 September 2026 does not exist in Pacific/Auckland: the clocks go forward then."
        in skipped.content.decode()
    )
    assert Appointment.objects.filter(patient=reachable_patient).count() == 1


def test_a_time_the_clocks_repeat_is_refused_when_booking_and_moving(
    open_every_day, reachable_patient, frank, login, settings, time_machine
):
    settings.TIME_ZONE = "UTC"
    time_machine.move_to(dt.datetime(2027, 4, 1, 9, 0, tzinfo=AKL), tick=False)
    a = actions.book_appointment(
        personas.actor(frank),
        reachable_patient,
        protocol=PROTOCOL,
        start=dt.datetime(2027, 4, 3, 10, 0, tzinfo=AKL),
        practitioner=open_every_day["alice"],
        room=open_every_day["room"],
    )
    # Auckland's clocks go back from 03:00 to 02:00 on Sunday 4 April 2027
    moved = login(frank).post(
        reverse("scheduling:move", args=[a.code]), {"date": "2027-04-04", "time": "02:30"}
    )
    assert moved.status_code == 400
    assert (
        "02:30 on 4 April 2027 happens twice in Pacific/Auckland: the clocks go back then."
        in moved.content.decode()
    )
    a.refresh_from_db()
    assert a.start == dt.datetime(2027, 4, 3, 10, 0, tzinfo=AKL)  # not moved
