"""Sending outbox messages: claim, send, mark sent.

The guarantee, stated honestly. A message is claimed with one conditional UPDATE
(PENDING -> SENDING, or a SENDING claim whose lease has expired), so two workers never
send it at the same time, and a SENT message is never claimed again. What no database can
give is an atomic "send and record": if a worker dies after the claim, the lease expires
and the message is sent by the next sweep, once (the new claim renews the lease). The one
window left is a death after the mail server or SMS provider accepted the message and
before SENT was written (milliseconds): then the patient gets it twice. So delivery is
at-least-once with a very narrow duplicate window, and each send carries a stable
identity (the e-mail Message-ID, the SMS idempotency key) so a receiver can drop the copy.
"""

import datetime as dt
import logging
import secrets

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from mesoclinic.accounts.actor import Actor
from mesoclinic.audit.actions import record

from . import sms
from .models import Channel, Kind, Message, MessageStatus, Status
from .slots import epoch
from .texts import render

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "SCHEDULING_CLAIM_LEASE_SECONDS", 300)))


def claimable(now: dt.datetime) -> Q:
    return Q(due_at__lte=now) & (
        Q(status=MessageStatus.PENDING)
        | Q(status=MessageStatus.SENDING, claimed_at__lt=now - lease())
    )


def claim(pk: int, now: dt.datetime) -> str | None:
    """Take the message for this worker; None when another has it or it is done."""
    token = secrets.token_hex(16)
    taken = (
        Message.objects.filter(claimable(now), pk=pk).update(
            status=MessageStatus.SENDING,
            claim_token=token,
            claimed_at=now,
            attempts=F("attempts") + 1,
        )
        == 1
    )
    return token if taken else None


def stale_reason(message: Message) -> str | None:
    """Why the message no longer applies (the appointment moved, was cancelled...)."""
    a = message.appointment
    if message.kind in (Kind.PREPARE, Kind.REMINDER):
        if a is None or a.status != Status.BOOKED:
            return "appointment no longer booked"
        if epoch(a.start) != int(message.params.get("start", 0)):
            return "appointment moved"
    if message.kind == Kind.FOLLOWUP and (a is None or a.status != Status.DONE):
        return "session did not take place"
    return None


def _finish(pk: int, token: str, **fields) -> bool:
    return Message.objects.filter(pk=pk, claim_token=token).update(**fields) == 1


def transmit(message: Message, subject: str, body: str) -> str:
    """Hand the message over to the mail server or SMS provider; returns the address."""
    patient = message.patient
    if message.channel == Channel.EMAIL:
        domain = getattr(settings, "SCHEDULING_MESSAGE_ID_DOMAIN", "mesoclinic.invalid")
        EmailMessage(
            subject,
            body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[patient.email],
            headers={"Message-ID": f"<{message.code}@{domain}>"},
        ).send()
        return patient.email
    sms.send_sms(patient.phone, f"{subject}\n{body}", str(message.code))
    return patient.phone


def deliver(pk: int, now: dt.datetime | None = None) -> str:
    """Send one message if it is due and unclaimed: "sent", "skipped" (not ours, not due,
    or done already), "cancelled" (no longer applies), "retry" or "failed"."""
    now = now or timezone.now()
    token = claim(pk, now)
    if token is None:
        return "skipped"
    message = Message.objects.select_related("patient", "clinic", "appointment").get(pk=pk)
    reason = stale_reason(message)
    if reason:
        _finish(pk, token, status=MessageStatus.CANCELLED, error=reason)
        return "cancelled"
    if message.attempts > MAX_ATTEMPTS:
        _finish(pk, token, status=MessageStatus.FAILED, error="too many attempts")
        return "failed"
    subject, body = render(message)
    try:
        to = transmit(message, subject, body)
    except Exception as exc:  # noqa: BLE001 - any transport error: retry later
        log.warning("message %s not sent (attempt %s): %s", message.code, message.attempts, exc)
        backoff = dt.timedelta(minutes=2 ** min(message.attempts, 6))
        _finish(
            pk,
            token,
            status=MessageStatus.PENDING,
            due_at=timezone.now() + backoff,
            error=str(exc)[:300],
        )
        return "retry"
    with transaction.atomic():
        if _finish(
            pk,
            token,
            status=MessageStatus.SENT,
            sent_at=timezone.now(),
            to=to,
            subject=subject[:200],
            body=body,
            error="",
        ):
            record(
                Actor.system(message.clinic),
                "send",
                message,
                patient=message.patient,
                summary=f"{message.kind} by {message.channel}",
            )
    return "sent"


def due(now: dt.datetime, limit: int = 200) -> list[int]:
    return list(
        Message.objects.filter(claimable(now))
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def sweep(limit: int = 200) -> dict[str, int]:
    """Send every message that is due, including those a dead worker had claimed."""
    counts: dict[str, int] = {}
    for pk in due(timezone.now(), limit):
        outcome = deliver(pk)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
