"""Reminders, follow-ups and recalls: the right time, the right instructions, phrased
safely, sent once; e-mail through a real SMTP server on loopback."""

import datetime as dt

import pytest
from django.core import mail

from mesoclinic.engine.knowledge import load
from mesoclinic.outbox import delivery, sms, tasks
from mesoclinic.outbox.models import Message, MessageStatus
from mesoclinic.outbox.tests.smtp import Inbox
from mesoclinic.scheduling import actions, reminders
from mesoclinic.scheduling.models import Kind
from mesoclinic.scheduling.tests.conftest import NOW, TODAY, ZONE, at
from tests.support import personas

pytestmark = pytest.mark.django_db


def _book(clinic_setup, frank, patient, day, hhmm="10:00"):
    return actions.book_appointment(
        personas.actor(frank),
        patient,
        protocol="face-mesolift",
        start=at(day, hhmm),
        practitioner=clinic_setup["nora"],
        room=clinic_setup["room2"],
    )


def test_reminders_are_planned_at_the_right_times(clinic_setup, reachable_patient, frank):
    a = _book(clinic_setup, frank, reachable_patient, TODAY + dt.timedelta(days=20))
    due = {
        (m.kind, m.params["offset_minutes"]): m.due_at
        for m in Message.objects.filter(appointment=a, channel="email")
    }
    # the face mesolift's earliest instruction (no NSAIDs) begins 2 weeks before
    assert due == {
        (Kind.PREPARE, 14 * 24 * 60): a.start - dt.timedelta(days=14),
        (Kind.REMINDER, 2 * 24 * 60): a.start - dt.timedelta(days=2),
        (Kind.REMINDER, 120): a.start - dt.timedelta(hours=2),
    }
    assert Message.objects.filter(appointment=a, channel="sms").count() == 3


def test_a_booking_at_short_notice_sends_the_instructions_at_once(
    clinic_setup, reachable_patient, frank
):
    a = _book(clinic_setup, frank, reachable_patient, TODAY + dt.timedelta(days=1))
    kinds = sorted(
        (m.kind, m.due_at == NOW) for m in Message.objects.filter(appointment=a, channel="email")
    )
    # the preparation message goes now; the 2-day reminder would repeat it; the 2-hour one stays
    assert kinds == [(Kind.PREPARE, True), (Kind.REMINDER, False)]
    # creating the messages again (a retried task, a replayed booking) adds nothing
    assert reminders.for_appointment(a) == []
    assert Message.objects.filter(appointment=a).count() == 4


@pytest.mark.parametrize("protocol", sorted(load().protocols))
def test_every_protocols_instructions_are_phrased_safely(
    clinic_setup, reachable_patient, frank, protocol
):
    from mesoclinic.scheduling.texts import SAFETY, render

    a = actions.book_appointment(
        personas.actor(frank),
        reachable_patient,
        protocol=protocol,
        start=at(TODAY + dt.timedelta(days=20), "10:00"),
        practitioner=clinic_setup["alice"],
        room=clinic_setup["room1"],
    )
    for message in Message.objects.filter(appointment=a, channel="email"):
        subject, body = render(message)
        assert SAFETY() in body
        lowered = body.lower()
        for line in lowered.splitlines():
            if "stop" in line and ("medicine" in line or "thinner" in line):
                assert "doctor" in line, line  # never "stop it" without the prescriber
        if message.kind != Kind.REMINDER or message.params["offset_minutes"] >= 24 * 60:
            for ref in load().protocols[protocol].pre_treatment:
                if ref.hours:
                    begins = (a.start - dt.timedelta(hours=ref.hours)).astimezone(ZONE)
                    assert f"{begins:%H:%M}" in body


def test_sending_is_idempotent_and_claims_exclude_each_other(
    clinic_setup, reachable_patient, frank, time_machine
):
    a = _book(clinic_setup, frank, reachable_patient, TODAY + dt.timedelta(days=1))
    now_due = list(Message.objects.filter(appointment=a, due_at__lte=NOW))
    assert {m.channel for m in now_due} == {"email", "sms"}
    for m in now_due:
        assert delivery.deliver(m.pk) == "sent"
        assert delivery.deliver(m.pk) == "skipped"  # sent already
        assert tasks.send_message.call(str(m.code)) == "skipped"  # a duplicate task
    assert len(mail.outbox) == 1 and len(sms.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [reachable_patient.email]
    assert "How to prepare" in sent.body and "prescrib" in sent.body
    assert sent.extra_headers["Message-ID"].startswith(f"<{now_due[0].code}@")
    # a message someone else has claimed is left alone until the lease runs out
    reminder = Message.objects.filter(appointment=a, kind=Kind.REMINDER).first()
    time_machine.move_to(reminder.due_at + dt.timedelta(minutes=1), tick=False)
    assert delivery.claim(reminder.pk, reminder.due_at) is not None
    assert delivery.deliver(reminder.pk) == "skipped"


def test_a_crash_after_the_claim_is_retried_exactly_once(
    clinic_setup, reachable_patient, frank, time_machine
):
    """A worker dies between claiming and sending: after the lease the message is sent,
    once; the new claim renews the lease, so no other sweep sends it again."""
    a = _book(clinic_setup, frank, reachable_patient, TODAY + dt.timedelta(days=1))
    m = Message.objects.get(appointment=a, kind=Kind.PREPARE, channel="sms")
    assert delivery.claim(m.pk, NOW) is not None  # ... and the worker dies here
    assert delivery.sweep() == {"sent": 1}  # the e-mail; the claimed SMS is not even due
    time_machine.move_to(NOW + delivery.lease() + dt.timedelta(seconds=1), tick=False)
    assert delivery.sweep() == {"sent": 1}
    assert delivery.sweep() == {}
    m.refresh_from_db()
    assert (m.status, m.attempts) == (MessageStatus.SENT, 2)
    assert [t["key"] for t in sms.outbox] == [str(m.code)]


def test_the_narrow_window_after_the_hand_over_is_at_least_once(
    clinic_setup, reachable_patient, frank, time_machine, monkeypatch
):
    """Documented honestly: a death after the provider accepted and before SENT is written
    sends the text again, with the same idempotency key for the provider to drop it."""
    a = _book(clinic_setup, frank, reachable_patient, TODAY + dt.timedelta(days=1))
    m = Message.objects.get(appointment=a, kind=Kind.PREPARE, channel="sms")
    real_finish = delivery._finish

    def die_after_send(pk, token, **fields):
        if fields.get("status") == MessageStatus.SENT:
            raise SystemExit("killed")
        return real_finish(pk, token, **fields)

    monkeypatch.setattr(delivery, "_finish", die_after_send)
    with pytest.raises(SystemExit):
        delivery.deliver(m.pk)
    monkeypatch.setattr(delivery, "_finish", real_finish)
    time_machine.move_to(NOW + delivery.lease() + dt.timedelta(seconds=1), tick=False)
    assert delivery.deliver(m.pk) == "sent"
    assert [t["key"] for t in sms.outbox] == [str(m.code)] * 2


def test_moved_or_cancelled_appointments_get_no_stale_reminder(
    clinic_setup, reachable_patient, frank, time_machine
):
    a = _book(clinic_setup, frank, reachable_patient, TODAY + dt.timedelta(days=20))
    stale = Message.objects.get(
        appointment=a, kind=Kind.REMINDER, channel="sms", params__offset_minutes=120
    )
    actions.reschedule(personas.actor(frank), a, start=a.start + dt.timedelta(hours=3))
    stale.refresh_from_db()
    assert stale.status == MessageStatus.CANCELLED
    # even a pending row that slipped through is cancelled at send time, not sent
    Message.objects.filter(pk=stale.pk).update(status=MessageStatus.PENDING)
    time_machine.move_to(stale.due_at + dt.timedelta(minutes=1), tick=False)
    assert delivery.deliver(stale.pk) == "cancelled"
    assert sms.outbox == []


def test_a_failing_transport_is_retried_later(clinic_setup, reachable_patient, frank, settings):
    settings.SMS_BACKEND = "mesoclinic.scheduling.tests.test_reminders.BrokenBackend"
    a = _book(clinic_setup, frank, reachable_patient, TODAY + dt.timedelta(days=1))
    m = Message.objects.get(appointment=a, kind=Kind.PREPARE, channel="sms")
    assert delivery.deliver(m.pk) == "retry"
    m.refresh_from_db()
    assert m.status == MessageStatus.PENDING and m.due_at > NOW and "down" in m.error


class BrokenBackend(sms.BaseBackend):
    def send(self, to, body, key):
        raise ConnectionError("provider down")


def test_followups_and_recall_texts(clinic_setup, make_plan, reachable_patient, frank):
    from mesoclinic.scheduling.texts import render

    plan = make_plan(reachable_patient)
    booked = actions.book_plan(
        personas.actor(frank), plan, first_date=TODAY, preferred_time=dt.time(10)
    )
    last = booked[-1]
    reminders.followups(last)
    reminders.recall(plan, last.start.date(), reachable_patient, reachable_patient.clinic)
    last.status = "done"
    last.save()
    follow = Message.objects.filter(kind=Kind.FOLLOWUP, channel="email").first()
    subject, body = render(follow)
    assert "How is your skin" in subject and "Warning signs, and what to do" in body
    # each sign with its own action (issue 11: "contact the clinic" was said of emergencies)
    assert "Call your local emergency number now" in body and "be seen today" in body
    recall = Message.objects.get(kind=Kind.RECALL, channel="email")
    subject, body = render(recall)
    first = dt.date.fromisoformat(recall.params["from"])
    assert "maintenance" in subject
    # the window is written for a reader, not as ISO dates
    assert f"{first.day} {first:%B} {first.year}" in body and recall.params["from"] not in body


def test_reminders_go_through_a_real_smtp_server(
    clinic_setup, reachable_patient, frank, settings, django_capture_on_commit_callbacks
):
    with Inbox() as inbox:
        smtp = "django.core.mail.backends.smtp.EmailBackend"
        settings.MAILERS = {  # Django 6.1's mail configuration
            "default": {"BACKEND": smtp, "OPTIONS": {"host": "127.0.0.1", "port": inbox.port}}
        }
        with django_capture_on_commit_callbacks(execute=True):  # the immediate task backend
            a = _book(clinic_setup, frank, reachable_patient, TODAY + dt.timedelta(days=1))
        delivery.sweep()  # (whatever the task backend, the sweep sends what is due)
        assert len(inbox.received) == 1
        got = inbox.received[0]
        assert got["To"] == reachable_patient.email
        assert got["From"] == "clinic@example.org"
        m = Message.objects.get(appointment=a, kind=Kind.PREPARE, channel="email")
        assert got["Message-ID"] == f"<{m.code}@mesoclinic.invalid>"
        body = got.get_payload(decode=True).decode()
        assert "How to prepare" in body and "prescribed" in body
        # sweeping again sends nothing more
        delivery.sweep()
        assert len(inbox.received) == 1
