"""Writes of the clinic's set-up: practitioners and their hours and absences, rooms,
opening hours; and the secret calendar feed tokens."""

import datetime as dt
import hashlib
import re
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.accounts.actor import Actor
from mesoclinic.accounts.roles import CLINICAL
from mesoclinic.audit.actions import record
from mesoclinic.engine.knowledge import load

from .actions import Refused
from .models import (
    Absence,
    CalendarToken,
    FeedKind,
    OpeningHours,
    Practitioner,
    Room,
    WorkingHours,
)

DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_LINE = re.compile(
    r"^(?P<days>[a-z]{3}(?:\s*-\s*[a-z]{3})?(?:\s*,\s*[a-z]{3}(?:\s*-\s*[a-z]{3})?)*)\s+"
    r"(?P<a>\d{1,2}:\d{2})\s*-\s*(?P<b>\d{1,2}:\d{2})$"
)


def parse_hours(textual: str) -> list[tuple[int, dt.time, dt.time]]:
    """ "mon-fri 09:00-17:00" lines (one stretch each; "mon,wed 14:00-19:00") -> rows."""
    rows = []
    for number, raw in enumerate(textual.lower().splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        m = _LINE.match(line)
        try:
            a, b = dt.time.fromisoformat(m["a"].zfill(5)), dt.time.fromisoformat(m["b"].zfill(5))
            days = []
            for part in m["days"].split(","):
                ends = [DAYS[d.strip()] for d in part.split("-")]
                days += list(range(ends[0], ends[-1] + 1))
        except (TypeError, KeyError, ValueError):
            raise Refused(
                _('Line %(n)s: write a day or days and two times, like "mon-fri 09:00-17:00".')
                % {"n": number}
            ) from None
        if b <= a or not days:
            raise Refused(_("Line %(n)s: the end must come after the start.") % {"n": number})
        rows += [(d, a, b) for d in days]
    return rows


def format_hours(rows) -> str:
    names = {v: k for k, v in DAYS.items()}
    return "\n".join(f"{names[r.weekday]} {r.start:%H:%M}-{r.end:%H:%M}" for r in rows)


def _protocols(ids) -> list[str]:
    known = load().protocols
    unknown = [p for p in ids if p not in known]
    if unknown:
        raise Refused({"protocols": _("Unknown protocols: %(p)s") % {"p": ", ".join(unknown)}})
    return sorted(set(ids))


@transaction.atomic
def save_practitioner(
    actor: Actor, user, *, protocols, hours: str, name: str = "", practitioner=None
) -> Practitioner:
    """Add (or update) a practitioner: a clinical staff user of the clinic."""
    actor.require("manage_schedule")
    membership = getattr(user, "membership", None)
    if membership is None or membership.clinic_id != actor.clinic.pk:
        raise Refused({"user": _("Choose a member of this clinic's staff.")})
    if membership.role not in CLINICAL:
        raise Refused({"user": _("Only physicians and nurses treat patients.")})
    rows = parse_hours(hours)
    p = practitioner or Practitioner(clinic=actor.clinic, user=user)
    p.name = name or user.display_name
    p.protocols = _protocols(protocols)
    p.save()
    p.hours.all().delete()
    WorkingHours.objects.bulk_create(
        WorkingHours(practitioner=p, weekday=d, start=a, end=b) for d, a, b in rows
    )
    record(actor, "update", p, summary=f"practitioner {p.name}")
    return p


@transaction.atomic
def add_absence(actor: Actor, practitioner: Practitioner, *, start, end, reason="") -> Absence:
    actor.require("manage_schedule")
    if practitioner.clinic_id != actor.clinic.pk:
        raise Refused(_("That belongs to another clinic."))
    if end <= start:
        raise Refused({"end": _("The end must come after the start.")})
    absence = Absence.objects.create(
        practitioner=practitioner, start=start, end=end, reason=reason[:200]
    )
    record(actor, "create", absence, summary=f"absence of {practitioner.name}")
    return absence


@transaction.atomic
def save_room(actor: Actor, *, name: str, protocols, room: Room | None = None) -> Room:
    actor.require("manage_schedule")
    room = room or Room(clinic=actor.clinic)
    if room.clinic_id != actor.clinic.pk:
        raise Refused(_("That belongs to another clinic."))
    room.name, room.protocols = name, _protocols(protocols)
    room.save()
    record(actor, "update", room, summary=f"room {room.name}")
    return room


@transaction.atomic
def set_opening_hours(actor: Actor, hours: str) -> list[OpeningHours]:
    actor.require("manage_schedule")
    rows = parse_hours(hours)
    OpeningHours.objects.filter(clinic=actor.clinic).delete()
    made = OpeningHours.objects.bulk_create(
        OpeningHours(clinic=actor.clinic, weekday=d, start=a, end=b) for d, a, b in rows
    )
    record(actor, "update", actor.clinic, summary="opening hours")
    return made


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_feed(actor: Actor, *, patient=None, practitioner=None) -> tuple[CalendarToken, str]:
    """A new secret feed URL token; the secret is returned once and only its hash kept."""
    actor.require("book_appointments")
    if (patient is None) == (practitioner is None):
        raise Refused(_("A feed is for one patient or one practitioner."))
    owner = patient or practitioner
    if owner.clinic_id != actor.clinic.pk:
        raise Refused(_("That belongs to another clinic."))
    secret = secrets.token_urlsafe(32)
    token = CalendarToken.objects.create(
        clinic=actor.clinic,
        kind=FeedKind.PATIENT if patient else FeedKind.PRACTITIONER,
        patient=patient,
        practitioner=practitioner,
        token_hash=token_hash(secret),
        hint=secret[:6],
        created_by=actor.user,
    )
    record(actor, "create", token, patient=patient, summary=f"calendar feed {token.hint}")
    return token, secret


@transaction.atomic
def revoke_feed(actor: Actor, token: CalendarToken) -> CalendarToken:
    actor.require("book_appointments")
    if token.clinic_id != actor.clinic.pk:
        raise Refused(_("That belongs to another clinic."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor, "revoke", token, patient=token.patient, summary=f"calendar feed {token.hint}")
    return token
