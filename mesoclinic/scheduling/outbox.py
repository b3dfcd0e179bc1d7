"""Which messages an appointment, a finished series or a freed slot calls for, as outbox
rows written in the caller's transaction. Each row's `key` is unique, so creating the same
message twice is a no-op; the task that sends it is enqueued only after the commit.
"""

import datetime as dt
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mesoclinic.engine.knowledge import load
from mesoclinic.lib import clinicday

from .models import Channel, Kind, Message, MessageStatus
from .slots import epoch

DEFAULT_REMINDERS = (2 * 24 * 60, 2 * 60)  # minutes before the start


def reminder_offsets() -> list[int]:
    return sorted(getattr(settings, "SCHEDULING_REMINDER_MINUTES", DEFAULT_REMINDERS), reverse=True)


def channels(patient) -> list[str]:
    out = []
    if patient.email:
        out.append(Channel.EMAIL)
    if patient.phone:
        out.append(Channel.SMS)
    return out


def _planned(
    key: str, kind: str, due: dt.datetime, patient, clinic, *, params: dict, **links
) -> list[Message]:
    return [
        Message(
            key=f"{key}:{channel}",
            clinic=clinic,
            patient=patient,
            kind=kind,
            channel=channel,
            due_at=due,
            params=params,
            **links,
        )
        for channel in channels(patient)
    ]


def _save(planned: list[Message]) -> list[Message]:
    """Store the messages not stored yet (one query to look, one to insert), and enqueue
    their tasks after the commit."""
    if not planned:
        return []
    have = set(
        Message.objects.filter(key__in=[m.key for m in planned]).values_list("key", flat=True)
    )
    new = [m for m in planned if m.key not in have]
    Message.objects.bulk_create(new, ignore_conflicts=True)  # a concurrent twin: no error
    enqueue(new)
    return new


def _create(key: str, kind: str, due: dt.datetime, patient, clinic, **kw) -> list[Message]:
    return _save(_planned(key, kind, due, patient, clinic, **kw))


def _for_one(a, now: dt.datetime) -> list[Message]:
    if a.start <= now:
        return []
    p = load().protocols[a.protocol]
    lead = max((ref.hours for ref in p.pre_treatment if ref.hours), default=0) * 60
    offsets = reminder_offsets()
    base = f"appt:{a.code}:{epoch(a.start)}"
    planned: list[tuple[str, int]] = []
    if offsets and lead > offsets[0]:
        planned.append((Kind.PREPARE, lead))
    planned += [(Kind.REMINDER, m) for m in offsets]
    out: list[Message] = []
    earlier = False
    for kind, minutes in planned:
        due = a.start - dt.timedelta(minutes=minutes)
        if due < now:
            if earlier:
                continue  # an earlier message already carries the same instructions
            due = now
        earlier = True
        out += _planned(
            f"{base}:{kind}:{minutes}",
            kind,
            due,
            a.patient,
            a.clinic,
            params={"offset_minutes": minutes, "start": epoch(a.start)},
            appointment=a,
        )
    return out


def for_appointments(appointments, now: dt.datetime | None = None) -> list[Message]:
    """For each appointment, the preparation message (when the protocol's instructions
    begin before the first reminder) and the reminders. One already late is sent at once
    only when nothing else would reach the patient before the session."""
    now = now or timezone.now()
    return _save([m for a in appointments for m in _for_one(a, now)])


def for_appointment(appointment, now: dt.datetime | None = None) -> list[Message]:
    return for_appointments([appointment], now)


def followups(appointment, now: dt.datetime | None = None) -> list[Message]:
    """The check-ins the knowledge defines for the protocol, counted from the session."""
    now = now or timezone.now()
    a = appointment
    planned = []
    for day in load().protocols[a.protocol].checkins.days:
        due = clinicday.days_later(a.end, day, a.clinic)  # same hour on the clinic's clock
        if due < now:
            continue
        planned += _planned(
            f"appt:{a.code}:followup:{day}",
            Kind.FOLLOWUP,
            due,
            a.patient,
            a.clinic,
            params={"day": day},
            appointment=a,
        )
    return _save(planned)


def recall(plan, last: dt.date, patient, clinic) -> list[Message]:
    """Maintenance after the series: sent when the maintenance window opens."""
    first, until = (
        last + dt.timedelta(days=plan.maintenance_min),
        last + dt.timedelta(days=plan.maintenance_max),
    )
    due = clinicday.aware(first, dt.time(10), clinic, strict=False)  # 10:00 on its clock
    return _create(
        f"plan:{plan.code}:recall",
        Kind.RECALL,
        due,
        patient,
        clinic,
        params={"protocol": plan.protocol, "from": first.isoformat(), "until": until.isoformat()},
        plan=plan,
    )


def offer(entry) -> list[Message]:
    return _create(
        f"wait:{entry.code}:{epoch(entry.offered_start)}",
        Kind.OFFER,
        timezone.now(),
        entry.patient,
        entry.clinic,
        params={"protocol": entry.protocol, "start": epoch(entry.offered_start)},
    )


def cancel_pending(appointment) -> int:
    """Messages about an appointment that moved or was cancelled are not sent."""
    return Message.objects.filter(
        appointment=appointment,
        kind__in=[Kind.PREPARE, Kind.REMINDER],
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
