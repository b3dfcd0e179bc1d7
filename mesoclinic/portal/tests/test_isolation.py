"""A patient can never reach another patient's data by changing an id in a URL.

Every portal URL pattern is listed here: those with an object code are requested (GET
and POST) by Ayşe with the codes of Zeynep's records, and must answer 404 and change
nothing; those without one must not show anything of Zeynep's. A new portal URL that is
not listed fails `test_every_portal_url_is_covered`.
"""

import datetime as dt

import pytest
from django.urls import URLPattern, reverse

from mesoclinic.audit.models import AuditEvent
from mesoclinic.followup import actions as followup_actions
from mesoclinic.followup.models import AdverseEvent, CheckIn, GaisScore
from mesoclinic.portal import actions
from mesoclinic.portal import urls as portal_urls
from mesoclinic.portal.models import AppointmentChangeRequest
from tests.support import journeys, personas

pytestmark = pytest.mark.django_db

# url name -> which of Zeynep's records its <code> names
OBJECT_URLS = {
    "consent_sign": "plan",
    "appointment_change": "appointment",
    "aftercare": "session",
    "checkin": "checkin",
    "report_result": "event",
    "rate": "session",
}
LIST_URLS = {
    "home",
    "intake",
    "consents",
    "appointments",
    "aftercare_list",
    "record_reads",  # issue 15: who opened my record
    "checkins",
    "report",
    "ask",
    "profile",
    "progress",
}
STAFF_URLS = {"invite", "staff_requests", "handle_request"}  # staff only: a patient gets 403
PUBLIC_URLS = {"accept"}  # the invitation link: its own secret, no patient data without it


@pytest.fixture
def world(nora, frank, adam, patient, other, booster, ayse, zeynep, later):
    """Both patients with a plan, a booked appointment, a signed session with aftercare
    and check-ins, a side effect, a change request and a GAIS rating."""
    product, lot = booster
    practitioner, room = journeys.scheduling_setup(adam)
    records = {}
    for who, person, user in (("ayse", patient, ayse), ("zeynep", other, zeynep)):
        plan = journeys.ready_plan(nora, person, product, dt.date(2026, 12, 1))
        session = journeys.signed_session(nora, plan, lot)
        start = dt.datetime(2026, 12, 20, 9, 0, tzinfo=dt.UTC) + dt.timedelta(hours=len(records))
        appointment = journeys.book(frank, plan, start, practitioner, room, number=2)
        records[who] = {
            "plan": plan,
            "session": session,
            "appointment": appointment,
            "checkin": CheckIn.objects.get(session=session, day=2),
            "user": user,
        }
    later(days=2, hours=2)
    for who in ("ayse", "zeynep"):
        r = records[who]
        act = personas.actor(r["user"])
        r["event"] = followup_actions.report_side_effect(
            act, r["session"], symptoms=["nodules"], severity="mild"
        )
        actions.request_change(
            act,
            r["appointment"],
            earliest=dt.date(2026, 12, 16),
            latest=dt.date(2026, 12, 20),
            part_of_day="any",
            note=f"note of {who}",
        )
        followup_actions.record_gais(act, r["session"], score=3)
    return records


def test_every_portal_url_is_covered():
    names = {p.name for p in portal_urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == set(OBJECT_URLS) | LIST_URLS | STAFF_URLS | PUBLIC_URLS


def counts():
    return (
        AdverseEvent.objects.count(),
        CheckIn.objects.filter(answered_at__isnull=False).count(),
        GaisScore.objects.count(),
        AppointmentChangeRequest.objects.count(),
        AuditEvent.objects.filter(action__in=["create", "update", "sign"]).count(),
    )


@pytest.mark.parametrize("name", sorted(OBJECT_URLS))
def test_another_patients_code_is_not_found(client, world, name):
    mine, theirs = world["ayse"], world["zeynep"]
    client.force_login(mine["user"])
    # Ayşe reaches her own record under this URL...
    own = reverse(f"portal:{name}", args=[mine[OBJECT_URLS[name]].code])
    assert client.get(own).status_code == 200, own
    # ...but never Zeynep's: not by GET, not by POST, and nothing is written
    url = reverse(f"portal:{name}", args=[theirs[OBJECT_URLS[name]].code])
    before = counts()
    assert client.get(url).status_code == 404, url
    post = client.post(
        url,
        {
            "how": "something",
            "symptoms": ["pus"],
            "severity": "severe",
            "score": "1",
            "earliest": "2026-12-16",
            "latest": "2026-12-18",
            "part_of_day": "any",
            "understood": "on",
            "signer_name": "Ayşe",
        },
    )
    assert post.status_code in (404, 405), url
    assert counts() == before


@pytest.mark.parametrize("kind", ["plan", "appointment", "session", "checkin", "event"])
def test_a_code_of_one_kind_never_opens_another_kind(client, world, kind):
    """Ayşe's own codes in the wrong place find nothing either (no cross-type lookups)."""
    client.force_login(world["ayse"]["user"])
    code = world["ayse"][kind].code
    for name, wanted in OBJECT_URLS.items():
        if wanted != kind and not (kind == "session" and name in ("aftercare", "rate")):
            assert client.get(reverse(f"portal:{name}", args=[code])).status_code == 404


@pytest.mark.parametrize("name", sorted(LIST_URLS))
def test_pages_without_a_code_show_only_the_patients_own_records(client, world, name):
    client.force_login(world["ayse"]["user"])
    page = client.get(reverse(f"portal:{name}"))
    assert page.status_code == 200
    html = page.content.decode()
    theirs = world["zeynep"]
    for kind in ("plan", "appointment", "session", "checkin", "event"):
        assert str(theirs[kind].code) not in html, (name, kind)
    assert "Zeynep" not in html and "Kaya" not in html and "note of zeynep" not in html


def test_a_posted_session_code_of_another_patient_is_not_found(client, world):
    client.force_login(world["ayse"]["user"])
    before = counts()
    r = client.post(
        reverse("portal:report"),
        {"session": str(world["zeynep"]["session"].code), "symptoms": ["pus"], "severity": "mild"},
    )
    assert r.status_code == 400  # not one of her sessions: refused at the field
    assert counts() == before


@pytest.mark.parametrize("name", sorted(STAFF_URLS))
def test_a_patient_gets_no_staff_portal_page(client, world, name):
    client.force_login(world["ayse"]["user"])
    args = {
        "invite": [world["zeynep"]["plan"].patient.code],
        "handle_request": [AppointmentChangeRequest.objects.first().code],
    }.get(name, [])
    url = reverse(f"portal:{name}", args=args)
    assert client.get(url).status_code in (403, 405)
    assert client.post(url, {"done": "1"}).status_code == 403


def test_actions_refuse_another_patients_records(world):
    from django.core.exceptions import PermissionDenied

    act = personas.actor(world["ayse"]["user"])
    theirs = world["zeynep"]
    with pytest.raises(PermissionDenied):
        followup_actions.report_side_effect(
            act, theirs["session"], symptoms=["pus"], severity="mild"
        )
    with pytest.raises(PermissionDenied):
        followup_actions.answer_checkin(act, theirs["checkin"], symptoms=[])
    with pytest.raises(PermissionDenied):
        followup_actions.record_gais(act, theirs["session"], score=1)
    with pytest.raises(PermissionDenied):
        actions.request_change(
            act,
            theirs["appointment"],
            earliest=dt.date(2026, 12, 16),
            latest=dt.date(2026, 12, 17),
            part_of_day="any",
            note="",
        )
    from mesoclinic.consent.versions import current_template

    with pytest.raises(PermissionDenied):
        actions.sign_consent_online(
            act,
            theirs["plan"],
            template=current_template("face-mesolift"),
            signer_name="x",
            signature="",
            language="en",
        )
