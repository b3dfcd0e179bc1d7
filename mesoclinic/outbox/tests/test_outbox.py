"""The outbox itself, with a kind of its own (registered here as any app registers its
kinds): created once, sent once and audited; a transport that fails is retried with a
growing back-off for the whole window (a day), then the message fails for good and the
clinic's physicians and admins see it, try it again or mark it handled."""

import datetime as dt

import pytest
from django.core import mail

from mesoclinic.audit.models import AuditEvent
from mesoclinic.outbox import actions, delivery, kinds, sms, tasks
from mesoclinic.outbox.models import Channel, Message, MessageStatus
from tests.support import personas

pytestmark = pytest.mark.django_db

NOTE = "test_note"


def _note(message) -> kinds.Letter:
    if message.params.get("stale"):
        raise kinds.Stale("no longer wanted")
    return kinds.Letter("A note", f"Hello {message.patient.given_name}")


kinds.register(NOTE, label="Test note", render=_note)


class DownBackend(sms.BaseBackend):
    """An SMS provider that refuses every text."""

    def send(self, to, body, key):
        raise ConnectionError("provider down")


@pytest.fixture
def reachable(alice):
    return personas.make_patient(
        personas.actor(alice), given="Elif", email="elif@example.org", phone="+90 555 000 0001"
    )


def _note_to(patient, key="note:1", **params) -> list[Message]:
    """The e-mail and the text of a note, as stored (bulk_create leaves pks unset)."""
    new = actions.save(
        actions.to_patient(key, NOTE, dt.datetime.now(dt.UTC), patient, params=params)
    )
    return [Message.objects.get(code=m.code) for m in new]


def _audit(message, action) -> int:
    return AuditEvent.objects.filter(object_code=str(message.code), action=action).count()


def test_a_message_is_created_once_sent_once_and_audited(
    reachable, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the tasks run after the commit
        email, text = _note_to(reachable)
    assert _note_to(reachable) == []  # the same keys again: nothing new
    assert Message.objects.count() == 2
    assert [m.to for m in mail.outbox] == [["elif@example.org"]]
    assert [t["to"] for t in sms.outbox] == ["+90 555 000 0001"]
    for m in (email, text):
        m.refresh_from_db()
        assert m.status == MessageStatus.SENT and m.attempts == 1
        assert m.body == ("Hello Elif" if m == email else "A note\nHello Elif")  # as sent
        assert tasks.send_message.call(str(m.code)) == "skipped"  # a duplicate task
        assert _audit(m, "send") == 1
        event = AuditEvent.objects.get(object_code=str(m.code), action="send")
        assert event.patient_code == reachable.code and event.username == "system"
    assert len(mail.outbox) == 1 and len(sms.outbox) == 1


def test_a_stale_message_is_cancelled_and_audited(reachable):
    (m, _sms) = _note_to(reachable, stale=True)
    assert delivery.deliver(m.pk) == "cancelled"
    m.refresh_from_db()
    assert m.status == MessageStatus.CANCELLED and m.error == "no longer wanted"
    assert _audit(m, "cancel") == 1 and mail.outbox == []


def test_a_message_without_an_address_fails_at_once_for_the_staff(reachable, alice):
    (m, _sms) = _note_to(reachable)
    reachable.email = ""
    reachable.save()
    assert delivery.deliver(m.pk) == "failed"
    m.refresh_from_db()
    assert m.status == MessageStatus.FAILED and m.attempts == 1 and "no address" in m.error
    assert _audit(m, "give_up") == 1
    from mesoclinic.outbox import access

    assert [f.pk for f in access.failed_messages(personas.actor(alice))] == [m.pk]


def test_a_failing_transport_backs_off_for_a_day_then_gives_up(
    reachable, settings, time_machine, alice
):
    """The provider is down for good: attempts after 1, 2, 4... minutes, at most an hour
    apart, until a day after the first attempt; then the message fails, and each failed
    attempt and the give-up are in the audit log."""
    settings.SMS_BACKEND = "mesoclinic.outbox.tests.test_outbox.DownBackend"
    start = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
    time_machine.move_to(start, tick=False)
    reachable.email = ""  # by text only
    reachable.save()
    (m,) = _note_to(reachable)
    attempts_at = []
    outcome = "retry"
    while outcome == "retry" and len(attempts_at) < 100:
        m.refresh_from_db()
        time_machine.move_to(m.due_at, tick=False)
        attempts_at.append(m.due_at)
        outcome = delivery.deliver(m.pk)
    m.refresh_from_db()
    assert outcome == "failed" and m.status == MessageStatus.FAILED
    gaps = [
        (b - a) / dt.timedelta(minutes=1)
        for a, b in zip(attempts_at, attempts_at[1:], strict=False)
    ]
    assert gaps[:7] == [1, 2, 4, 8, 16, 32, 60]  # exponential, capped at an hour
    assert all(g <= 60 for g in gaps) and all(g == 60 for g in gaps[6:-1])
    assert attempts_at[-1] - attempts_at[0] == dt.timedelta(days=1)  # the whole window
    assert m.attempts == len(attempts_at) and m.first_attempt_at == start
    assert "provider down" in m.error and f"after {m.attempts} attempts" in m.error
    assert _audit(m, "send_failed") == m.attempts - 1
    assert _audit(m, "give_up") == 1 and _audit(m, "send") == 0
    assert sms.outbox == []
    # a failed message is never claimed again by a sweep
    time_machine.move_to(attempts_at[-1] + dt.timedelta(days=2), tick=False)
    assert delivery.sweep() == {}


def test_a_message_whose_worker_always_dies_stops_after_many_claims(reachable, time_machine):
    (m, _sms) = _note_to(reachable)
    now = dt.datetime.now(dt.UTC)
    for _ in range(delivery.MAX_ATTEMPTS):
        assert delivery.claim(m.pk, now) is not None  # ... and the worker dies each time
        now += delivery.lease() + dt.timedelta(seconds=1)
    time_machine.move_to(now, tick=False)
    assert delivery.deliver(m.pk) == "failed"
    m.refresh_from_db()
    assert m.status == MessageStatus.FAILED and "never finished" in m.error
    assert mail.outbox == []


def test_staff_see_failed_messages_of_their_clinic_and_handle_them(
    reachable, login, alice, adam, nora, charlie, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "mesoclinic.outbox.tests.test_outbox.DownBackend"
    (_email, m) = _note_to(reachable)
    Message.objects.filter(pk=m.pk).update(
        status=MessageStatus.FAILED, error="provider down", attempts=30, to=reachable.phone
    )
    # physicians and clinic admins see the number on every page and the list
    for user in (alice, adam):
        client = login(user)
        home = client.get("/")
        assert b"data-failed-messages" in home.content and b">1</span>" in home.content
        page = client.get("/outbox/failed/")
        assert page.status_code == 200
        assert b"Elif" in page.content and b"provider down" in page.content
        assert b"+90 555 000 0001" in page.content  # where it was going
    # a nurse has no such list; another clinic sees nothing and cannot touch it
    assert login(nora).get("/outbox/failed/").status_code == 403
    assert b"data-failed-messages" not in login(nora).get("/").content
    other = login(charlie)
    assert b"data-failed-messages" not in other.get("/").content
    assert b"Elif" not in other.get("/outbox/failed/").content
    assert other.post(f"/outbox/{m.code}/try-again").status_code == 404
    # try again: back in the queue with a new window, and sent once the provider is back
    settings.SMS_BACKEND = "mesoclinic.outbox.sms.LocmemBackend"
    client = login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/outbox/{m.code}/try-again")
    assert r.status_code == 302 and r["Location"] == "/outbox/failed/"
    m.refresh_from_db()
    assert m.status == MessageStatus.SENT and [t["key"] for t in sms.outbox] == [str(m.code)]
    assert AuditEvent.objects.filter(
        object_code=str(m.code), action="update", username="alice"
    ).exists()
    assert b"data-failed-messages" not in client.get("/").content
    # mark handled: it leaves the list and the count
    Message.objects.filter(pk=m.pk).update(status=MessageStatus.FAILED)
    assert client.post(f"/outbox/{m.code}/handled").status_code == 302
    m.refresh_from_db()
    assert m.handled_by == alice and m.handled_at is not None
    assert b"Elif" not in client.get("/outbox/failed/").content
    assert b"data-failed-messages" not in client.get("/").content
    assert AuditEvent.objects.filter(object_code=str(m.code), summary__endswith="handled").exists()


def test_kinds_are_registered_once():
    with pytest.raises(ValueError, match="registered twice"):
        kinds.register(NOTE, label="Another", render=lambda m: None)
    assert kinds.register(NOTE, label="Test note", render=_note).name == NOTE  # same: fine
    with pytest.raises(LookupError):
        kinds.get("nobody-registered-this")
    assert kinds.label("nobody-registered-this") == "nobody-registered-this"
    # every app's kinds are known after start-up
    assert {
        "prepare",
        "reminder",
        "followup",
        "recall",
        "offer",
        "aftercare",
        "on_call_alert",
        "invitation",
    } <= set(kinds.registered())


def test_an_unknown_kind_is_retried_not_lost(reachable):
    made = actions.create(
        "mystery:1",
        "nobody-registered-this",
        clinic=reachable.clinic,
        channel=Channel.EMAIL,
        patient=reachable,
    )
    m = Message.objects.get(code=made.code)
    assert delivery.deliver(m.pk) == "retry"
    m.refresh_from_db()
    assert m.status == MessageStatus.PENDING and "LookupError" in m.error


def test_reads_and_staff_answers_stay_in_the_clinic(reachable, alice, nora, charlie):
    from django.core.exceptions import PermissionDenied

    from mesoclinic.accounts.actor import Actor
    from mesoclinic.outbox import access

    (m, _sms) = _note_to(reachable)
    other = Message.objects.create(
        key="about:patient",
        kind=NOTE,
        clinic=reachable.clinic,
        channel=Channel.EMAIL,
        patient=reachable,
        about=reachable,
        due_at=dt.datetime.now(dt.UTC),
    )
    assert [x.pk for x in access.messages_about(personas.actor(nora), reachable)] == [other.pk]
    assert access.messages_about(personas.actor(charlie), reachable) == []  # another clinic
    patient_actor = Actor(None, reachable.clinic, "patient")
    assert access.messages_about(patient_actor, reachable) == []
    assert access.failed_count(patient_actor) == 0 and access.failed_count(None) == 0
    # staff answers: only for failed messages, only in one's own clinic, only some roles
    assert actions.try_again(personas.actor(alice), m) is False  # not failed
    assert actions.mark_handled(personas.actor(alice), m) is False
    for who in (charlie, nora):
        with pytest.raises(PermissionDenied):
            actions.try_again(personas.actor(who), m)
    # messages about a record that changed are cancelled before they go
    assert actions.cancel_pending(reachable, [NOTE]) == 1
    other.refresh_from_db()
    assert other.status == MessageStatus.CANCELLED


def test_an_sms_carries_the_kinds_own_short_text(reachable, django_capture_on_commit_callbacks):
    from django.utils import timezone

    kinds.register("short_note", label="short note", render=_short_note)
    with django_capture_on_commit_callbacks(execute=True):
        actions.save(actions.to_patient("short:1", "short_note", timezone.now(), reachable))
    assert [t["body"] for t in sms.outbox] == ["Short text"]
    assert mail.outbox[0].body == "A long e-mail body"
    assert Message.objects.get(channel="sms").body == "Short text"


def _short_note(message):
    return kinds.Letter("A note", "A long e-mail body", sms="Short text")
