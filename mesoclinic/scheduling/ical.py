"""iCalendar (RFC 5545) feeds behind secret token URLs.

A patient's feed has their appointments and, after each session, one event at the moment
each aftercare instruction ends ("make-up allowed again"), computed by the engine. A
practitioner's feed has their appointments with the patient's initials only: a feed is
often synced to a third-party calendar service.
"""

import datetime as dt

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from mesoclinic.engine.aftercare import aftercare
from mesoclinic.engine.knowledge import load
from mesoclinic.lib.language import person_language
from mesoclinic.lib.titles import protocol_title

from .models import Appointment, CalendarToken, FeedKind, Status
from .resources import token_hash

PRODID = "-//Mesoclinic//Scheduling//EN"
PAST_DAYS = 90


def token_for(secret: str) -> CalendarToken | None:
    """The live token for this secret, or None (unknown or revoked)."""
    if not secret or len(secret) > 100:
        return None
    token = (
        CalendarToken.objects.select_related("clinic", "patient", "practitioner")
        .filter(token_hash=token_hash(secret), revoked_at__isnull=True)
        .first()
    )
    if token is not None:
        CalendarToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def _initials(patient) -> str:
    return f"{patient.given_name[:1]}. {patient.family_name[:1]}."


def _event(uid: str, summary: str, start, end=None, **extra) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start)
    if end is not None:
        event.add("dtend", end)
    event.add("summary", summary)
    for key, value in extra.items():
        event.add(key.replace("_", "-"), value)
    return event


def feed(token: CalendarToken, now: dt.datetime | None = None) -> bytes:
    now = now or timezone.now()
    since = now - dt.timedelta(days=PAST_DAYS)
    qs = Appointment.objects.filter(
        clinic=token.clinic,
        status__in=[Status.BOOKED, Status.DONE],
        end__gte=since,
    ).select_related("room", "practitioner", "patient")
    if token.kind == FeedKind.PATIENT:
        qs = qs.filter(patient=token.patient)
        lang = person_language(token.patient)
        name = _("%(clinic)s appointments") % {"clinic": token.clinic.name}
    else:
        qs = qs.filter(practitioner=token.practitioner)
        lang = person_language(token.practitioner)
        name = token.practitioner.name
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    with translation.override(lang):
        cal.add("x-wr-calname", name)
        for a in qs.order_by("start"):
            for event in _events(token, a, lang):
                cal.add_component(event)
    return cal.to_ical()


def _events(token: CalendarToken, a: Appointment, lang: str) -> list[Event]:
    title = protocol_title(a.protocol, lang)
    where = f"{token.clinic.name}, {a.room.name}"
    if token.kind == FeedKind.PRACTITIONER:
        summary = f"{title}: {_initials(a.patient)}"
    else:
        summary = _("%(protocol)s at %(clinic)s") % {"protocol": title, "clinic": token.clinic.name}
    main = _event(
        f"{a.code}@mesoclinic",
        summary,
        a.start,
        a.end,
        location=where,
        status="CONFIRMED",
    )
    out = [main]
    if token.kind != FeedKind.PATIENT:
        return out
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", dt.timedelta(hours=-2))
    main.add_component(alarm)
    care = aftercare(load(), a.protocol, a.end, lang) if a.protocol in load().protocols else None
    for item in (care or {}).get("items", []):
        until = dt.datetime.fromisoformat(item["until"])
        out.append(
            _event(
                f"{a.code}-{item['id']}@mesoclinic",
                _("Aftercare ends: %(label)s") % {"label": item["label"]},
                until,
                description=item["text"],
                transp="TRANSPARENT",
            )
        )
    return out
