"""An invitation's secret is stored nowhere: not in the outbox's rows, not in the task
queue (django-tasks-db's rows, before and after the worker ran), not in the audit log, not
on the invitation. The e-mail still carries the working link, derived when it is sent;
once the invitation is used, even the server cannot derive it again."""

import re

import pytest
from django.core import mail
from django.core.management import call_command

from mesoclinic.audit.models import AuditEvent
from mesoclinic.outbox import delivery
from mesoclinic.outbox.models import Message, MessageStatus
from mesoclinic.portal import tokens
from mesoclinic.portal.models import Invitation

pytestmark = pytest.mark.django_db

PASSWORD = "violet-harbour-kettle-49"


def _rows(model) -> str:
    return repr(list(model.objects.values()))


@pytest.mark.django_db(transaction=True)  # the worker manages its connection as in production
def test_the_invitation_secret_is_in_no_row_and_no_task_argument(
    login, frank, patient, settings, client
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    patient.email = "ayse@example.org"
    patient.save()
    page = login(frank).post(f"/portal/staff/patients/{patient.code}/invite")  # enqueued
    link = re.search(r'value="(http://testserver/portal/invitation/[^"]+)"', page.content.decode())[
        1
    ]
    secret = link.rsplit("/", 1)[1]
    assert len(secret) >= 40
    task = DBTaskResult.objects.get()
    assert task.task_path == "mesoclinic.outbox.tasks.send_message"
    message = Message.objects.get(kind="invitation")
    assert task.args_kwargs == {"args": [str(message.code)], "kwargs": {}}
    for model in (Message, DBTaskResult, Invitation, AuditEvent):
        assert secret not in _rows(model), model.__name__

    call_command("worker", "--batch")  # the real worker sends it
    (sent,) = mail.outbox
    assert sent.to == ["ayse@example.org"] and link in sent.body
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert "[link withheld]" in message.body and "/portal/invitation/" not in message.body
    for model in (Message, DBTaskResult, Invitation, AuditEvent):
        assert secret not in _rows(model), model.__name__

    # the link works once; then not even the server can derive it again
    client.logout()
    r = client.post(link, {"username": "ayse", "password1": PASSWORD, "password2": PASSWORD})
    assert r.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.used_at and invitation.nonce == ""
    assert tokens.token_for(invitation) is None


def test_a_link_survives_a_key_rotation_with_the_old_key_as_fallback(
    frank, patient, settings, login
):
    patient.email = "ayse@example.org"
    patient.save()
    page = login(frank).post(f"/portal/staff/patients/{patient.code}/invite")
    assert page.status_code == 200
    message = Message.objects.get(kind="invitation")
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-key-" + "x" * 50
    settings.SECRET_KEY_FALLBACKS = [old]
    assert delivery.deliver(message.pk) == "sent"
    (sent,) = mail.outbox
    secret = re.search(r"/portal/invitation/(\S+)", sent.body)[1]
    assert tokens.token_hash(secret) == Invitation.objects.get().token_hash


def test_without_the_old_key_the_invitation_fails_for_the_staff_to_see(
    frank, patient, settings, login
):
    patient.email = "ayse@example.org"
    patient.save()
    login(frank).post(f"/portal/staff/patients/{patient.code}/invite")
    message = Message.objects.get(kind="invitation")
    settings.SECRET_KEY = "a-new-key-" + "x" * 50
    settings.SECRET_KEY_FALLBACKS = []
    assert delivery.deliver(message.pk) == "failed"
    message.refresh_from_db()
    assert "invite again" in message.error and mail.outbox == []


def test_a_replaced_invitation_is_not_sent(frank, patient, login):
    patient.email = "ayse@example.org"
    patient.save()
    staff = login(frank)
    staff.post(f"/portal/staff/patients/{patient.code}/invite")
    staff.post(f"/portal/staff/patients/{patient.code}/invite")
    first, second = Message.objects.filter(kind="invitation").order_by("pk")
    assert delivery.deliver(first.pk) == "cancelled"
    assert delivery.deliver(second.pk) == "sent"
    assert len(mail.outbox) == 1
    replaced = Invitation.objects.order_by("pk").first()
    assert replaced.revoked_at and replaced.nonce == ""


def test_a_link_maker_that_drops_the_secret_is_refused(nora, patient):
    """The message keeps the link with the secret's place empty; a link without the secret
    would leave nothing to fill in, so it is refused rather than stored."""
    from mesoclinic.portal import actions
    from tests.support import personas

    patient.email = "ayse@example.org"
    patient.save()
    with pytest.raises(ValueError, match="contains the secret"):
        actions.invite_patient(personas.actor(nora), patient, link_for=lambda s: "http://x/")
    assert not Message.objects.exists()
