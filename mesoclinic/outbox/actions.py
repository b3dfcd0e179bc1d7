"""Every write of the outbox: messages created in the caller's transaction (a unique `key`
makes a second creation a no-op) with their send task enqueued after the commit; messages
that no longer apply cancelled; and the staff's two answers to a failed message: try it
again, or mark it handled (someone phoned the patient instead).
"""

import datetime as dt
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from mesoclinic.accounts.actor import Actor
from mesoclinic.audit.actions import record

from .models import Channel, Message, MessageStatus


def channels(patient) -> list[str]:
    """The channels a patient can be reached on: e-mail, SMS, both or none."""
    out = []
    if patient.email:
        out.append(Channel.EMAIL)
    if patient.phone:
        out.append(Channel.SMS)
    return out


def address(patient, channel: str) -> str:
    if patient is None:
        return ""
    return (patient.email if channel == Channel.EMAIL else patient.phone) or ""


def planned(
    key: str,
    kind: str,
    due: dt.datetime,
    *,
    clinic,
    channel: str,
    patient=None,
    about=None,
    params: dict | None = None,
) -> Message:
    """One unsaved message (give a list of them to `save`)."""
    return Message(
        key=key,
        kind=kind,
        due_at=due,
        clinic=clinic,
        channel=channel,
        patient=patient,
        about=about,
        params=params or {},
    )


def to_patient(
    key: str, kind: str, due: dt.datetime, patient, *, clinic=None, about=None, params=None
) -> list[Message]:
    """One unsaved message per channel the patient can be reached on (key + ":" + channel)."""
    return [
        planned(
            f"{key}:{channel}",
            kind,
            due,
            clinic=clinic or patient.clinic,
            channel=channel,
            patient=patient,
            about=about,
            params=params,
        )
        for channel in channels(patient)
    ]


def save(messages: list[Message]) -> list[Message]:
    """Store the messages not stored yet (one query to look, one to insert) and enqueue
    their tasks after the commit. Returns the new ones (by code and key: a bulk insert
    leaves their pk unset on some databases)."""
    if not messages:
        return []
    have = set(
        Message.objects.filter(key__in=[m.key for m in messages]).values_list("key", flat=True)
    )
    new = [m for m in messages if m.key not in have]
    Message.objects.bulk_create(new, ignore_conflicts=True)  # a concurrent twin: no error
    enqueue(new)
    return new


def create(key: str, kind: str, due: dt.datetime | None = None, **fields) -> Message | None:
    """One message (see `planned`), due now unless said otherwise; None if it exists."""
    new = save([planned(key, kind, due or timezone.now(), **fields)])
    return new[0] if new else None


def cancel_pending(about, kinds: list[str]) -> int:
    """Messages of these kinds about `about` that were not sent yet are not sent."""
    from django.contrib.contenttypes.models import ContentType

    return Message.objects.filter(
        about_type=ContentType.objects.get_for_model(about),
        about_id=about.pk,
        kind__in=kinds,
        status=MessageStatus.PENDING,
    ).update(status=MessageStatus.CANCELLED)


def enqueue(messages: list[Message]) -> None:
    """After the commit: a task per message, deferred to its due time where the backend can
    defer (the database backend); otherwise the sweep sends it when it falls due."""
    if messages:
        transaction.on_commit(partial(_enqueue, [(str(m.code), m.due_at) for m in messages]))


def _enqueue(items: list[tuple[str, dt.datetime]]) -> None:
    from .tasks import send_message

    backend = send_message.get_backend()
    now = timezone.now()
    for code, due in items:
        if due <= now:
            send_message.enqueue(code)
        elif backend.supports_defer:
            send_message.using(run_after=due).enqueue(code)


def _failed_of(actor: Actor, message: Message) -> None:
    actor.require("handle_failed_messages")
    if message.clinic_id != actor.clinic.pk:
        raise PermissionDenied("another clinic's message")


@transaction.atomic
def try_again(actor: Actor, message: Message) -> bool:
    """A failed message goes back to the queue, due now, with a new retry window (the
    address was corrected, the mail server is back). False when it is no longer failed."""
    _failed_of(actor, message)
    now = timezone.now()
    changed = Message.objects.filter(pk=message.pk, status=MessageStatus.FAILED).update(
        status=MessageStatus.PENDING,
        due_at=now,
        first_attempt_at=None,
        claim_token="",
        handled_at=None,
        handled_by=None,
    )
    if changed:
        record(
            actor,
            "update",
            message,
            patient=message.patient,
            summary=f"message {message.kind} by {message.channel}: try again",
        )
        message.due_at = now
        enqueue([message])
    return bool(changed)


@transaction.atomic
def mark_handled(actor: Actor, message: Message) -> bool:
    """A failed message leaves the staff's list (the clinic reached the person otherwise)."""
    _failed_of(actor, message)
    changed = Message.objects.filter(
        pk=message.pk, status=MessageStatus.FAILED, handled_at__isnull=True
    ).update(handled_at=timezone.now(), handled_by=actor.user)
    if changed:
        record(
            actor,
            "update",
            message,
            patient=message.patient,
            summary=f"failed message {message.kind} by {message.channel}: handled",
        )
    return bool(changed)
