"""Side-effect reports: triaged at once, an adverse event with the session's lots; above
"expected" an alert on the dashboard until acknowledged and an e-mail to the on-call
address. Check-ins feed the same path."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from mesoclinic.audit.models import AuditEvent
from mesoclinic.followup import access, actions
from mesoclinic.followup.models import AdverseEvent, CheckIn, ClinicAlert, Source
from mesoclinic.outbox.models import Message
from tests.support import personas

from .conftest import ON_CALL

pytestmark = pytest.mark.django_db


def report(user, session, *symptoms, severity="mild", **kw):
    return actions.report_side_effect(
        personas.actor(user), session, symptoms=list(symptoms), severity=severity, **kw
    )


def test_an_expected_reaction_is_recorded_without_alerting(nora, session, lot, later):
    later(days=1)
    event = report(nora, session, "redness", "swelling")
    assert event.level == "expected" and event.source == Source.STAFF
    assert event.triage["advice"].startswith("This is a usual reaction")
    assert list(event.lots.all()) == [lot]
    assert 23.5 < event.hours_since_session < 24.5
    assert event.suggested_grade == 1
    assert not ClinicAlert.objects.exists()
    assert mail.outbox == []


def test_a_red_flag_alerts_the_clinic_and_e_mails_on_call(
    nora, session, later, django_capture_on_commit_callbacks
):
    later(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        event = report(nora, session, "pus", "warmth_spreading", severity="moderate", fever=True)
    assert event.level == "urgent"
    assert {"infection", "fever"} <= set(event.triage["rules"])
    assert event.triage["knowledge_version"] and event.triage["sources"]
    alert = ClinicAlert.objects.get(adverse_event=event)
    assert alert.level == "urgent" and alert.acknowledged_at is None
    assert alert.notified_at is not None
    (message,) = mail.outbox
    assert message.to == [ON_CALL]
    assert "URGENT" in message.subject and "Ayşe Yılmaz" in message.subject
    assert "Pus" in message.body and f"/followup/events/{event.code}/" in message.body


def test_the_on_call_e_mail_goes_once(nora, session):
    from mesoclinic.outbox.tasks import send_message  # the outbox sends it now

    event = report(nora, session, "blistering")
    alert = ClinicAlert.objects.get(adverse_event=event)
    code = str(Message.objects.get(key=f"alert:{alert.code}").code)
    assert send_message.call(code) == "sent"
    assert send_message.call(code) == "skipped"  # sent already
    assert len(mail.outbox) == 1


def test_without_an_on_call_address_the_dashboard_still_shows_it(nora, session, clinic_a):
    from mesoclinic.outbox.tasks import send_message  # the outbox sends it now

    clinic_a.on_call_email = ""
    clinic_a.save()
    event = report(nora, session, "hives")
    alert = ClinicAlert.objects.get(adverse_event=event)
    message = Message.objects.get(key=f"alert:{alert.code}")
    assert send_message.call(str(message.code)) == "failed"  # no address: failed, not retried
    message.refresh_from_db()
    assert "no on-call e-mail address" in message.error
    assert access.open_alert_count(personas.actor(nora)) == 1


def test_breathing_trouble_is_an_emergency(nora, session):
    event = report(nora, session, "breathing_difficulty", severity="severe")
    assert event.level == "emergency"
    assert event.triage["advice"].startswith("Call your local emergency number now")
    assert event.suggested_grade == 4


def test_a_report_needs_a_symptom(nora, session):
    with pytest.raises(ValidationError):
        report(nora, session)


def test_the_front_desk_and_other_clinics_cannot_report(frank, charlie, session):
    for user in (frank, charlie):
        with pytest.raises(PermissionDenied):
            report(user, session, "redness")


def test_alert_stays_until_acknowledged(login, nora, alice, adam, session):
    event = report(nora, session, "blanching", severity="moderate")
    alert = event.alerts.get()
    client = login(alice)
    page = client.get("/followup/alerts/")
    assert page.status_code == 200
    assert b"Ay\xc5\x9fe Y\xc4\xb1lmaz" in page.content and b"Acknowledge" in page.content
    badge = client.get("/followup/alerts/badge")
    assert b">1<" in badge.content
    # the admin sees it but cannot acknowledge
    admin = login(adam)
    assert admin.get("/followup/alerts/").status_code == 200
    assert admin.post(f"/followup/alerts/{alert.code}/acknowledge").status_code == 403
    client = login(alice)
    r = client.post(f"/followup/alerts/{alert.code}/acknowledge")
    assert r.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == alice and alert.acknowledged_at
    page = client.get("/followup/alerts/")
    assert b"No open alerts" in page.content and b"Recently acknowledged" in page.content
    assert b">1<" not in client.get("/followup/alerts/badge").content
    assert AuditEvent.objects.filter(object_type="ClinicAlert", action="update").exists()
    # acknowledging twice keeps the first
    actions.acknowledge_alert(personas.actor(nora), alert)
    alert.refresh_from_db()
    assert alert.acknowledged_by == alice


def test_the_nav_badge_tag(rf, nora, frank, session):
    from django.template import Context, Template

    report(nora, session, "severe_pain", severity="severe")
    tpl = Template("{% load followup_tags %}{% alerts_badge %}")
    for user, shown in ((nora, True), (frank, False)):
        request = rf.get("/")
        request.actor = personas.actor(user)
        html = tpl.render(Context({"request": request}))
        assert ('id="alerts-badge"' in html) is shown
        assert (">1</span>" in html) is shown


def test_the_badge_is_empty_for_strangers(client, frank, login):
    assert client.get("/followup/alerts/badge").status_code == 204
    assert login(frank).get("/followup/alerts/badge").status_code == 204


def test_alerts_of_another_clinic_are_not_found(login, nora, charlie, session):
    event = report(nora, session, "pus")
    alert = event.alerts.get()
    client = login(charlie)
    assert client.get("/followup/alerts/").content.count(b"Ay\xc5\x9fe") == 0
    assert client.post(f"/followup/alerts/{alert.code}/acknowledge").status_code == 404
    assert client.get(f"/followup/events/{event.code}/").status_code == 404


def test_staff_grade_actions_and_resolution_are_audited(login, nora, session):
    event = report(nora, session, "nodules", severity="moderate")
    client = login(nora)
    page = client.get(f"/followup/events/{event.code}/")
    assert page.status_code == 200 and b"Suggested from the triage level: grade 2" in page.content
    bad = client.post(
        f"/followup/events/{event.code}/",
        {"ctcae_grade": "2", "actions_taken": "Seen", "outcome": "resolved", "resolved_at": ""},
    )
    assert bad.status_code == 400 and b"Give the date it resolved." in bad.content
    event.refresh_from_db()
    assert event.outcome == "ongoing" and event.ctcae_grade is None
    from django.utils import timezone

    when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    ok = client.post(
        f"/followup/events/{event.code}/",
        {
            "ctcae_grade": "2",
            "actions_taken": "Seen the same day; culture taken; clarithromycin.",
            "outcome": "resolved",
            "resolved_at": when,
        },
    )
    assert ok.status_code == 302
    event.refresh_from_db()
    assert event.ctcae_grade == 2 and event.is_resolved and event.resolved_at
    entry = AuditEvent.objects.filter(object_type="AdverseEvent", action="update").get()
    assert set(entry.detail["changed"]) == {
        "ctcae_grade",
        "actions_taken",
        "outcome",
        "resolved_at",
    }
    assert entry.detail["changed"]["outcome"] == {"before": "ongoing", "after": "resolved"}


def test_update_refuses_a_resolution_date_for_an_ongoing_event(nora, session):
    from django.utils import timezone

    event = report(nora, session, "nodules")
    with pytest.raises(ValidationError):
        actions.update_adverse_event(
            personas.actor(nora), event, {"outcome": "ongoing", "resolved_at": timezone.now()}
        )


def test_staff_report_form(login, nora, session, lot):
    client = login(nora)
    url = f"/followup/sessions/{session.code}/report"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"severity": "mild"})
    assert bad.status_code == 400 and b"Tick at least one" in bad.content
    assert not AdverseEvent.objects.exists()
    r = client.post(url, {"symptoms": ["dusky_discoloration"], "severity": "moderate"})
    event = AdverseEvent.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/followup/events/{event.code}/"
    assert event.level == "urgent" and event.reported_by == nora


# --- check-ins -------------------------------------------------------------------------------


def day(session, n):
    return CheckIn.objects.get(session=session, day=n)


def test_a_check_in_opens_on_its_day(nora, session, later):
    with pytest.raises(ValidationError, match="not open yet"):
        actions.answer_checkin(personas.actor(nora), day(session, 2), symptoms=[])
    later(days=2, hours=1)
    answered = actions.answer_checkin(personas.actor(nora), day(session, 2), symptoms=[])
    assert answered.is_answered and answered.triage is None and answered.adverse_event is None
    with pytest.raises(ValidationError, match="already been answered"):
        actions.answer_checkin(personas.actor(nora), day(session, 2), symptoms=[])


def test_expected_symptoms_at_a_check_in_are_triaged_without_an_adverse_event(nora, session, later):
    later(days=2, hours=1)
    c = actions.answer_checkin(
        personas.actor(nora), day(session, 2), symptoms=["redness"], severity="mild"
    )
    assert c.triage["level"] == "expected" and c.adverse_event is None
    assert not AdverseEvent.objects.exists()


def test_late_lumps_at_week_four_become_an_adverse_event(nora, session, later):
    later(days=28, hours=2)
    c = actions.answer_checkin(
        personas.actor(nora), day(session, 28), symptoms=["nodules"], severity="moderate"
    )
    assert c.triage["level"] == "urgent"  # issue 11: late lumps are a warning sign
    assert "late-nodules" in c.triage["rules"]
    event = c.adverse_event
    assert event.source == Source.CHECKIN and event.level == "urgent"
    assert event.alerts.count() == 1


def test_a_warning_sign_in_the_notes_alone_is_triaged_and_alerts_the_clinic(
    nora, session, later, django_capture_on_commit_callbacks
):
    later(days=2, hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        c = actions.answer_checkin(
            personas.actor(nora),
            day(session, 2),
            symptoms=[],
            notes="all fine really, just my voice is a bit hoarse since yesterday",
        )
    assert c.triage["level"] == "emergency" and "airway" in c.triage["rules"]
    assert any("“hoarse”" in r for r in c.triage["reasons"])
    event = c.adverse_event
    assert event.level == "emergency" and event.alerts.count() == 1
    assert len(mail.outbox) == 1


def test_notes_without_a_warning_sign_and_nothing_ticked_are_not_a_report(nora, session, later):
    later(days=2, hours=1)
    c = actions.answer_checkin(
        personas.actor(nora), day(session, 2), symptoms=[], notes="no fever, all settled"
    )
    assert c.triage is None and c.adverse_event is None
    with pytest.raises(ValidationError, match="Tick at least one"):
        report(nora, session, notes="no fever, all settled")
    event = report(nora, session, notes="göz kapağım düştü, tam açılmıyor")  # staff notes
    assert event.level == "emergency" and event.symptoms == []
    assert event.triage["signs"][0]["sign"] == "eyes"


def test_the_portal_forms_accept_a_warning_sign_written_in_the_notes():
    from mesoclinic.followup.forms import CheckInForm, ReportForm

    sign = {"notes": "dudaklarım şişti"}
    assert ReportForm(data=sign).is_valid()
    assert not ReportForm(data={"notes": "hepsi iyi"}).is_valid()
    assert CheckInForm(data={"how": "well", **sign}).is_valid()
    assert CheckInForm(data={"how": "something", **sign}).is_valid()
    assert not CheckInForm(data={"how": "something", "notes": "hepsi iyi"}).is_valid()


def test_a_check_in_needs_a_severity_with_symptoms(nora, session, later):
    later(days=3)
    with pytest.raises(ValidationError):
        actions.answer_checkin(personas.actor(nora), day(session, 2), symptoms=["pus"])


def test_the_badge_count_is_cached_but_never_stale_after_a_change(
    nora, alice, session, django_assert_num_queries
):
    """Issue 18: pages read the badge's count from the cache (no COUNT on every page);
    raising or acknowledging an alert forgets it, and the badge's poll counts afresh."""
    act = personas.actor(nora)
    assert access.open_alert_count(act) == 0
    with django_assert_num_queries(0):
        assert access.open_alert_count(act) == 0  # cached
    event = report(nora, session, "blanching", severity="moderate")
    assert access.open_alert_count(act) == 1  # raised: counted again
    with django_assert_num_queries(1):
        assert access.open_alert_count(act, fresh=True) == 1  # the poll always counts
    actions.acknowledge_alert(personas.actor(alice), event.alerts.get())
    assert access.open_alert_count(act) == 0
    ClinicAlert.objects.create(clinic=act.clinic, adverse_event=event, level="urgent")
    with django_assert_num_queries(0):
        assert access.open_alert_count(act) == 0  # an ORM write bypasses actions: cached
    assert access.open_alert_count(act, fresh=True) == 1
    assert access.open_alert_count(act) == 1  # the poll refreshed the cache
