"""Which messages an appointment, a finished series or a freed slot calls for, as outbox
rows written in the caller's transaction. Each row's `key` is unique, so creating the same
message twice is a no-op; the task that sends it is enqueued only after the commit. The
outbox app sends them (texts.py says what they say).
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from mesoclinic.engine.knowledge import load
from mesoclinic.lib import clinicday
from mesoclinic.outbox import actions as outbox

from .appointment_types import prepares  # consultations and reviews get no preparation
from .models import Kind
from .slots import epoch

DEFAULT_REMINDERS = (2 * 24 * 60, 2 * 60)  # minutes before the start


def reminder_offsets() -> list[int]:
    return sorted(getattr(settings, "SCHEDULING_REMINDER_MINUTES", DEFAULT_REMINDERS), reverse=True)


def _for_one(a, now: dt.datetime) -> list:
    if a.start <= now:
        return []
    p = load().protocols[a.protocol]
    lead = max((ref.hours for ref in p.pre_treatment if ref.hours), default=0) * 60
    offsets = reminder_offsets()
    base = f"appt:{a.code}:{epoch(a.start)}"
    planned: list[tuple[str, int]] = []
    if offsets and lead > offsets[0] and prepares(a.appointment_type):
        planned.append((Kind.PREPARE, lead))
    planned += [(Kind.REMINDER, m) for m in offsets]
    out: list = []
    earlier = False
    for kind, minutes in planned:
        due = a.start - dt.timedelta(minutes=minutes)
        if due < now:
            if earlier:
                continue  # an earlier message already carries the same instructions
            due = now
        earlier = True
        out += outbox.to_patient(
            f"{base}:{kind}:{minutes}",
            kind,
            due,
            a.patient,
            clinic=a.clinic,
            about=a,
            params={"offset_minutes": minutes, "start": epoch(a.start)},
        )
    return out


def for_appointments(appointments, now: dt.datetime | None = None) -> list:
    """For each appointment, the preparation message (when the protocol's instructions
    begin before the first reminder) and the reminders. One already late is sent at once
    only when nothing else would reach the patient before the session."""
    now = now or timezone.now()
    return outbox.save([m for a in appointments for m in _for_one(a, now)])


def for_appointment(appointment, now: dt.datetime | None = None) -> list:
    return for_appointments([appointment], now)


def followups(appointment, now: dt.datetime | None = None) -> list:
    """The check-ins the knowledge defines for the protocol, counted from the session."""
    now = now or timezone.now()
    a = appointment
    planned = []
    for day in load().protocols[a.protocol].checkins.days:
        due = clinicday.days_later(a.end, day, a.clinic)  # same hour on the clinic's clock
        if due < now:
            continue
        planned += outbox.to_patient(
            f"appt:{a.code}:followup:{day}",
            Kind.FOLLOWUP,
            due,
            a.patient,
            clinic=a.clinic,
            about=a,
            params={"day": day},
        )
    return outbox.save(planned)


def recall(plan, last: dt.date, patient, clinic) -> list:
    """Maintenance after the series: sent when the maintenance window opens."""
    first, until = (
        last + dt.timedelta(days=plan.maintenance_min),
        last + dt.timedelta(days=plan.maintenance_max),
    )
    due = clinicday.aware(first, dt.time(10), clinic, strict=False)  # 10:00 on its clock
    return outbox.save(
        outbox.to_patient(
            f"plan:{plan.code}:recall",
            Kind.RECALL,
            due,
            patient,
            clinic=clinic,
            about=plan,
            params={
                "protocol": plan.protocol,
                "from": first.isoformat(),
                "until": until.isoformat(),
            },
        )
    )


def offer(entry) -> list:
    return outbox.save(
        outbox.to_patient(
            f"wait:{entry.code}:{epoch(entry.offered_start)}",
            Kind.OFFER,
            timezone.now(),
            entry.patient,
            clinic=entry.clinic,
            about=entry,
            params={"protocol": entry.protocol, "start": epoch(entry.offered_start)},
        )
    )


def cancel_pending(appointment) -> int:
    """Messages about an appointment that moved or was cancelled are not sent."""
    return outbox.cancel_pending(appointment, [Kind.PREPARE, Kind.REMINDER])
