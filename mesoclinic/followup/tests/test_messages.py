"""The aftercare e-mail and the on-call alert go through the outbox: a mail server that is
down once does not lose them (before the outbox, a failed send was never tried again),
and each send is audited. A real SMTP server on loopback, down at first."""

import datetime as dt

import pytest

from mesoclinic.audit.models import AuditEvent
from mesoclinic.followup import actions
from mesoclinic.followup.models import ClinicAlert
from mesoclinic.outbox import delivery
from mesoclinic.outbox.models import Message, MessageStatus
from mesoclinic.outbox.tests.smtp import Inbox
from tests.support import journeys, personas

from .conftest import ON_CALL

pytestmark = pytest.mark.django_db


def _after_the_back_off(time_machine, message):
    message.refresh_from_db()
    time_machine.move_to(message.due_at + dt.timedelta(seconds=1), tick=False)


def test_an_aftercare_e_mail_survives_a_mail_server_down_once(
    nora, patient, plan, lot, settings, time_machine, django_capture_on_commit_callbacks
):
    patient.email = "ayse@example.org"
    patient.save()
    inbox = Inbox()
    settings.MAILERS = inbox.mailers()  # nothing listens on the port yet: the server is down
    with django_capture_on_commit_callbacks(execute=True):  # the send task runs and fails
        journeys.signed_session(nora, plan, lot)
    message = Message.objects.get(kind="aftercare")
    assert message.status == MessageStatus.PENDING and message.attempts == 1
    assert "refused" in message.error.lower() or "connect" in message.error.lower()
    assert AuditEvent.objects.filter(object_code=str(message.code), action="send_failed").exists()
    with inbox:  # the mail server is back
        _after_the_back_off(time_machine, message)
        assert delivery.sweep() == {"sent": 1}
        assert delivery.sweep() == {}
    (got,) = inbox.received
    assert got["To"] == "ayse@example.org" and "aftercare" in got["Subject"].lower()
    # the e-mail carries the sheet's PDF too (documents): the text is its first part
    text = next(p for p in got.walk() if p.get_content_type() == "text/plain")
    assert "Make-up: allowed again from" in text.get_payload(decode=True).decode()
    assert any(p.get_content_type() == "application/pdf" for p in got.walk())
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 2
    assert AuditEvent.objects.filter(object_code=str(message.code), action="send").count() == 1


def test_an_on_call_alert_survives_a_mail_server_down_once(
    nora, session, settings, time_machine, django_capture_on_commit_callbacks
):
    inbox = Inbox()
    settings.MAILERS = inbox.mailers()  # down
    with django_capture_on_commit_callbacks(execute=True):
        event = actions.report_side_effect(
            personas.actor(nora), session, symptoms=["pus"], severity="moderate", fever=True
        )
    alert = ClinicAlert.objects.get(adverse_event=event)
    message = Message.objects.get(kind="on_call_alert")
    assert message.status == MessageStatus.PENDING and message.attempts == 1
    assert alert.notified_at is None
    with inbox:
        _after_the_back_off(time_machine, message)
        assert delivery.sweep() == {"sent": 1}
    (got,) = inbox.received
    assert got["To"] == ON_CALL and "URGENT" in got["Subject"] and got["X-Priority"] == "1"
    assert f"/followup/events/{event.code}/" in got.get_payload(decode=True).decode()
    alert.refresh_from_db()
    assert alert.notified_at is not None
    assert AuditEvent.objects.filter(object_code=str(message.code), action="send").count() == 1


def test_an_alert_acknowledged_before_its_e_mail_could_go_is_not_sent(nora, alice, session):
    event = actions.report_side_effect(
        personas.actor(nora), session, symptoms=["blistering"], severity="mild"
    )
    alert = ClinicAlert.objects.get(adverse_event=event)
    actions.acknowledge_alert(personas.actor(alice), alert)
    message = Message.objects.get(kind="on_call_alert")
    assert delivery.deliver(message.pk) == "cancelled"
    message.refresh_from_db()
    assert message.status == MessageStatus.CANCELLED and "acknowledged" in message.error
