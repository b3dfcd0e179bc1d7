"""At sign-off: the aftercare sheet is stored (and never rewritten), the check-ins are
scheduled from the knowledge's days, the sheet is e-mailed, and it feeds the calendar."""

import datetime as dt

import pytest
from django.core import mail

from mesoclinic.audit.models import AppendOnly, AuditEvent
from mesoclinic.engine.knowledge import load
from mesoclinic.followup import access, actions
from mesoclinic.followup.models import AftercareSheet, CheckIn
from tests.support import journeys, personas
from tests.support.treatments import next_window

pytestmark = pytest.mark.django_db


def test_sign_off_stores_the_engine_aftercare_with_end_times(session):
    sheet = AftercareSheet.objects.get(session=session)
    care = sheet.items
    assert sheet.knowledge_version == load().version == care["knowledge_version"]
    assert sheet.language == "en" and sheet.protocol == "face-mesolift"
    makeup = next(i for i in care["items"] if i["id"] == "no-makeup")
    end = dt.datetime.fromisoformat(care["session_end"])
    assert dt.datetime.fromisoformat(makeup["until"]) - end == dt.timedelta(hours=24)
    assert makeup["until"].endswith("+03:00")  # in the clinic's zone (Europe/Istanbul)
    assert {r["symptom"] for r in care["expected_reactions"]} >= {"redness", "bruising"}
    assert any(f["level"] == "emergency" for f in care["red_flags"])
    assert AuditEvent.objects.filter(object_type="AftercareSheet", action="create").exists()


def test_check_ins_are_scheduled_from_the_knowledge_days(session):
    days = load().protocols["face-mesolift"].checkins.days
    assert days == [2, 7, 14, 28, 56, 84]
    checkins = list(CheckIn.objects.filter(session=session).order_by("day"))
    assert [c.day for c in checkins] == days
    for c in checkins:
        end = session.signed_at.replace(microsecond=0)
        assert c.due_at == end + dt.timedelta(days=c.day)
        assert not c.is_answered


def test_calling_the_hook_again_changes_nothing(session, nora):
    again = actions.on_session_signed(personas.actor(nora), session)
    assert again == AftercareSheet.objects.get(session=session)
    assert CheckIn.objects.filter(session=session).count() == 6


def test_the_sheet_is_append_only(session):
    sheet = AftercareSheet.objects.get(session=session)
    sheet.language = "tr"
    with pytest.raises(AppendOnly):
        sheet.save()
    with pytest.raises(AppendOnly):
        AftercareSheet.objects.filter(pk=sheet.pk).update(language="tr")
    with pytest.raises(AppendOnly):
        sheet.delete()


def test_an_open_session_gets_no_sheet(nora, plan):
    from mesoclinic.treatments.actions import start_session

    open_session = start_session(personas.actor(nora), plan)
    with pytest.raises(ValueError):
        actions.on_session_signed(personas.actor(nora), open_session)


def test_the_front_desk_cannot_store_aftercare(session, frank):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.on_session_signed(personas.actor(frank), session)


def load_checkin_days(protocol):
    from mesoclinic.engine.knowledge import load

    return load().protocols[protocol].checkins.days


def test_sign_off_calls_the_hook(nora, plan, lot):
    """treatments.actions.sign_off calls followup.actions.on_session_signed (hand-over)."""
    from mesoclinic.treatments.actions import add_point, sign_off, start_session
    from tests.support.treatments import point

    act = personas.actor(nora)
    s = start_session(act, plan)
    add_point(act, s, point(lot))
    sign_off(act, s)
    assert AftercareSheet.objects.filter(session=s).exists()
    assert s.checkins.count() == len(load_checkin_days(s.protocol))


def test_the_sheet_is_e_mailed_to_the_patient_after_the_commit(
    nora, patient, plan, lot, django_capture_on_commit_callbacks
):
    patient.email = "ayse@example.org"
    patient.save()
    with django_capture_on_commit_callbacks(execute=True):
        journeys.signed_session(nora, plan, lot)
    sent = [m for m in mail.outbox if m.to == ["ayse@example.org"]]
    assert len(sent) == 1
    body = sent[0].body
    assert "aftercare" in sent[0].subject.lower()
    assert "Make-up: allowed again from" in body
    assert "/portal/" in body


def test_no_address_no_e_mail(session):
    assert mail.outbox == []


def test_a_knowledge_change_never_rewrites_a_stored_sheet(
    nora, plan, lot, session, monkeypatch, edited_knowledge, time_machine
):
    before = AftercareSheet.objects.get(session=session).items

    def edit(files):
        p = files["protocols/face-mesolift.yaml"]
        for item in p["aftercare"]:
            if item["item"] == "no-makeup":
                item["hours"] = 48
        p["checkins"]["days"] = [3, 10]

    changed = edited_knowledge(edit)
    monkeypatch.setattr(actions, "knowledge", lambda: changed)
    assert changed.version != before["knowledge_version"]

    sheet = AftercareSheet.objects.get(session=session)
    assert sheet.items == before
    makeup = next(i for i in sheet.items["items"] if i["id"] == "no-makeup")
    assert makeup["hours"] == 24

    # the next session is told the new rule, and gets the new check-in days
    next_window(nora, plan, time_machine)  # two weeks later: the plan's minimum interval
    second = journeys.signed_session(nora, plan, lot)
    new = AftercareSheet.objects.get(session=second)
    assert new.knowledge_version == changed.version
    assert next(i for i in new.items["items"] if i["id"] == "no-makeup")["hours"] == 48
    assert list(second.checkins.order_by("day").values_list("day", flat=True)) == [3, 10]
    assert list(session.checkins.order_by("day").values_list("day", flat=True)) == [
        2,
        7,
        14,
        28,
        56,
        84,
    ]


def test_aftercare_events_for_the_calendar_feed(session, patient):
    events = access.aftercare_events(patient)
    sheet = AftercareSheet.objects.get(session=session)
    assert len(events) == len(sheet.items["items"])
    summary, start, end, description = next(e for e in events if e[0].startswith("Make-up"))
    assert summary == "Make-up: allowed again"
    assert start == dt.datetime.fromisoformat(
        next(i for i in sheet.items["items"] if i["id"] == "no-makeup")["until"]
    )
    assert end - start == dt.timedelta(minutes=15)
    assert start.utcoffset() == dt.timedelta(hours=3)
    assert "make-up" in description.lower()
    assert [e[1] for e in events] == sorted(e[1] for e in events)
    with_uids = access.aftercare_events(patient, uids=True)
    assert with_uids[0][0].startswith(f"aftercare-{session.code}-")
    assert len({e[0] for e in with_uids}) == len(with_uids)


def test_staff_see_the_sheet_as_given(login, nora, session):
    client = login(nora)
    r = client.get(f"/followup/sessions/{session.code}/aftercare")
    assert r.status_code == 200
    assert b"allowed again from" in r.content
    assert b"data-countdown" in r.content
