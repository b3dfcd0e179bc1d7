"""Sending outbox messages: claim, render, send, mark sent; or back off and try again; or
give up where the staff see it.

The guarantee, stated honestly. A message is claimed with one conditional UPDATE
(PENDING -> SENDING, or a SENDING claim whose lease has expired), so two workers never
send it at the same time, and a SENT message is never claimed again. What no database can
give is an atomic "send and record": if a worker dies after the claim, the lease expires
and the message is sent by the next sweep, once (the new claim renews the lease). The one
window left is a death after the mail server or SMS provider accepted the message and
before SENT was written (milliseconds): then the recipient gets it twice. So delivery is
at-least-once with a very narrow duplicate window, and each send carries a stable
identity (the e-mail Message-ID, the SMS idempotency key) so a receiver can drop the copy.

Retries. A transport error (mail server down, SMS provider refusing) puts the message
back, due again after 1, 2, 4, 8... minutes (at most OUTBOX_RETRY_MAX_MINUTES, 60), for
OUTBOX_RETRY_HOURS (24) from its first attempt, the last attempt at the window's end.
Then it fails for good and shows in the staff's list of failed messages. Every send,
failed attempt, give-up and cancellation is in the audit log.
"""

import datetime as dt
import logging
import secrets

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import DateTimeField, F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from mesoclinic.accounts.actor import Actor
from mesoclinic.audit.actions import record

from . import kinds, segments, sms
from .actions import address
from .models import Channel, Message, MessageStatus

log = logging.getLogger(__name__)

# A message whose worker dies every time (a claim, then nothing) stops after this many
# claims; with the default lease that is more than four hours of trying.
MAX_ATTEMPTS = 50


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "OUTBOX_CLAIM_LEASE_SECONDS", 300)))


def retry_window() -> dt.timedelta:
    return dt.timedelta(hours=float(getattr(settings, "OUTBOX_RETRY_HOURS", 24)))


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the attempts-th failed attempt: 1, 2, 4... minutes, capped."""
    cap = float(getattr(settings, "OUTBOX_RETRY_MAX_MINUTES", 60))
    return dt.timedelta(minutes=min(2 ** min(max(attempts - 1, 0), 20), cap))


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
            first_attempt_at=Coalesce(F("first_attempt_at"), Value(now, DateTimeField())),
        )
        == 1
    )
    return token if taken else None


def _finish(pk: int, token: str, **fields) -> bool:
    return Message.objects.filter(pk=pk, claim_token=token).update(**fields) == 1


def _audit(message: Message, action: str, summary: str, **detail) -> None:
    record(
        Actor.system(message.clinic),
        action,
        message,
        patient=message.patient,
        summary=f"{message.kind} by {message.channel}: {summary}",
        detail={"attempt": message.attempts, **detail},
    )


def transmit(message: Message, letter: kinds.Letter, to: str, files=()) -> None:
    """Hand the message over to the mail server or SMS provider (an e-mail with its
    attachments: (file name, content, MIME type))."""
    if message.channel == Channel.EMAIL:
        domain = getattr(settings, "OUTBOX_MESSAGE_ID_DOMAIN", "mesoclinic.invalid")
        email = EmailMessage(
            letter.subject,
            letter.body,
            # the clinic's own sender address when it set one (issue 14), else the server's
            from_email=message.clinic.sender_email or settings.DEFAULT_FROM_EMAIL,
            to=[to],
            headers={"Message-ID": f"<{message.code}@{domain}>", **letter.headers},
        )
        for name, content, mimetype in files:
            email.attach(name, content, mimetype)
        email.send()
    else:
        sms.send_sms(to, sms_text(letter), str(message.code))


def sms_text(letter: kinds.Letter) -> str:
    """What an SMS carries: the kind's own short text, else the subject and body."""
    return letter.sms if letter.sms is not None else f"{letter.subject}\n{letter.body}"


def _give_up(message: Message, token: str, reason: str, to: str = "") -> str:
    with transaction.atomic():
        if _finish(message.pk, token, status=MessageStatus.FAILED, error=reason[:300], to=to[:254]):
            _audit(message, "give_up", reason)
    log.error("message %s (%s) not sent, given up: %s", message.code, message.kind, reason)
    return "failed"


def _failed_attempt(message: Message, token: str, exc: Exception, to: str = "") -> str:
    """Back off and try again within the window; after it, give up."""
    now = timezone.now()
    error = f"{type(exc).__name__}: {exc}"[:300]
    deadline = (message.first_attempt_at or now) + retry_window()
    if now >= deadline:
        return _give_up(message, token, f"not sent after {message.attempts} attempts: {error}", to)
    again = min(now + backoff(message.attempts), deadline)
    log.warning("message %s not sent (attempt %s): %s", message.code, message.attempts, error)
    with transaction.atomic():
        if _finish(
            message.pk, token, status=MessageStatus.PENDING, due_at=again, error=error, to=to[:254]
        ):
            _audit(message, "send_failed", error, retry_at=again.isoformat())
    return "retry"


def deliver(pk: int, now: dt.datetime | None = None) -> str:
    """Send one message if it is due and unclaimed: "sent", "skipped" (not ours, not due,
    or done already), "cancelled" (no longer applies), "retry" or "failed"."""
    now = now or timezone.now()
    token = claim(pk, now)
    if token is None:
        return "skipped"
    message = Message.objects.select_related("patient", "clinic").get(pk=pk)
    if message.attempts > MAX_ATTEMPTS:
        return _give_up(message, token, f"claimed {MAX_ATTEMPTS} times and never finished")
    try:
        kind = kinds.get(message.kind)
        letter = kind.render(message)
        to = letter.to if letter.to is not None else address(message.patient, message.channel)
        if not to:
            raise kinds.Undeliverable("no address to send it to")
        files = kinds.attachments(message, letter)
    except kinds.Stale as exc:
        with transaction.atomic():
            if _finish(pk, token, status=MessageStatus.CANCELLED, error=str(exc)[:300]):
                _audit(message, "cancel", str(exc))
        return "cancelled"
    except kinds.Undeliverable as exc:
        return _give_up(message, token, str(exc))
    except Exception as exc:  # noqa: BLE001 - a renderer's bug or missing data: retry later
        log.exception("message %s could not be rendered", message.code)
        return _failed_attempt(message, token, exc)
    try:
        transmit(message, letter, to, files)
    except Exception as exc:  # noqa: BLE001 - any transport error: retry later
        return _failed_attempt(message, token, exc, to)
    kept = letter.body if letter.kept_body is None else letter.kept_body
    if message.channel == Channel.SMS and letter.kept_body is None:
        kept = sms_text(letter)
        if not segments.fits(kept):
            log.warning("message %s: the SMS takes more than two segments", message.code)
    with transaction.atomic():
        if _finish(
            pk,
            token,
            status=MessageStatus.SENT,
            sent_at=timezone.now(),
            to=to[:254],
            subject=letter.subject[:200],
            body=kept,
            error="",
        ):
            if kind.on_sent is not None:
                kind.on_sent(message)
            _audit(
                message,
                "send",
                f"sent to {to}" + (f" with {len(files)} attachment(s)" if files else ""),
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
