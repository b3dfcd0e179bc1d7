"""iCalendar feeds behind secret, revocable token URLs, parsed back with an independent
parser (vobject, not the icalendar package that wrote them)."""

import datetime as dt

import pytest
import vobject
from django.urls import reverse

from mesoclinic.engine.aftercare import aftercare
from mesoclinic.engine.knowledge import load
from mesoclinic.scheduling import actions, resources
from mesoclinic.scheduling.models import CalendarToken, Status
from mesoclinic.scheduling.tests.conftest import TODAY
from tests.support import personas

pytestmark = pytest.mark.django_db


def _parse(body: bytes):
    return vobject.readOne(body.decode("utf-8"))


@pytest.fixture
def series(clinic_setup, make_plan, reachable_patient, frank, time_machine):
    plan = make_plan(reachable_patient)
    booked = actions.book_plan(
        personas.actor(frank), plan, first_date=TODAY, preferred_time=dt.time(10)
    )
    time_machine.move_to(booked[0].end + dt.timedelta(minutes=5), tick=False)
    actions.mark_attendance(personas.actor(frank), booked[0], Status.DONE)
    return booked


def test_the_patient_feed_has_appointments_and_aftercare_end_times(
    series, reachable_patient, frank, client
):
    token, secret = resources.create_feed(personas.actor(frank), patient=reachable_patient)
    assert CalendarToken.objects.get().token_hash != secret  # only the hash is stored
    response = client.get(reverse("scheduling:feed", args=[secret]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = _parse(response.content)
    events = {e.uid.value: e for e in cal.vevent_list}
    first = series[0]
    main = events[f"{first.code}@mesoclinic"]
    assert main.dtstart.value == first.start and main.dtend.value == first.end
    assert "Room" in main.location.value
    assert main.valarm.trigger.value == -dt.timedelta(hours=2)
    assert {f"{a.code}@mesoclinic" for a in series} <= set(events)
    expected = aftercare(load(), "face-mesolift", first.end, "en")["items"]
    for item in expected:
        event = events[f"{first.code}-{item['id']}@mesoclinic"]
        assert event.dtstart.value == dt.datetime.fromisoformat(item["until"])
        assert event.summary.value.startswith("Aftercare ends")
        assert event.description.value == item["text"]


def test_the_practitioner_feed_shows_initials_only(
    series, clinic_setup, reachable_patient, frank, client
):
    token, secret = resources.create_feed(
        personas.actor(frank), practitioner=series[0].practitioner
    )
    cal = _parse(client.get(reverse("scheduling:feed", args=[secret])).content)
    summaries = [e.summary.value for e in cal.vevent_list]
    assert summaries and all("E. A." in s for s in summaries)
    assert all(reachable_patient.family_name not in s for s in summaries)
    assert not any("Aftercare" in s for s in summaries)  # the patient's own business


def test_a_revoked_or_unknown_token_finds_nothing(series, reachable_patient, frank, client, login):
    token, secret = resources.create_feed(personas.actor(frank), patient=reachable_patient)
    url = reverse("scheduling:feed", args=[secret])
    assert client.get(url).status_code == 200
    assert client.get(reverse("scheduling:feed", args=["not-a-token"])).status_code == 404
    staff = login(frank)
    page = staff.get(reverse("scheduling:patient", args=[reachable_patient.code]))
    assert token.hint in page.text and secret not in page.text  # shown once, at creation
    staff.post(reverse("scheduling:feed_revoke", args=[token.code]))
    staff.logout()
    assert client.get(url).status_code == 404


def test_staff_create_a_feed_and_see_its_url_once(clinic_setup, reachable_patient, frank, login):
    client = login(frank)
    page = client.post(reverse("scheduling:feed_create", args=[reachable_patient.code]))
    assert page.status_code == 200 and "/scheduling/ical/" in page.text
    token = CalendarToken.objects.get()
    again = client.get(reverse("scheduling:patient", args=[reachable_patient.code]))
    assert "/scheduling/ical/" not in again.text and token.hint in again.text


def test_charlie_cannot_make_or_revoke_clinic_a_feeds(
    clinic_setup, reachable_patient, frank, charlie, login
):
    token, _secret = resources.create_feed(personas.actor(frank), patient=reachable_patient)
    client = login(charlie)
    assert client.post(reverse("scheduling:feed_revoke", args=[token.code])).status_code == 404
    assert (
        client.post(reverse("scheduling:feed_create", args=[reachable_patient.code])).status_code
        == 404
    )
    with pytest.raises(actions.Refused):
        resources.create_feed(personas.actor(charlie), patient=reachable_patient)
