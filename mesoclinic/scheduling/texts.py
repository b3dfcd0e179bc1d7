"""What each of scheduling's messages says, for the outbox (registered in apps.py).
Rendered when it is sent, in the clinic's time zone, from the knowledge in force: the
protocol's pre-treatment instructions (with the moment each begins), its check-in red
flags, its maintenance window. A message that no longer applies (the appointment moved,
was cancelled or has begun; the session did not take place) is not sent.

An instruction whose window has already begun when the message is sent ("no aspirin for
2 weeks before", sent 2 days before) is not given as it stands: the message says what
still applies (avoid it from now on, and tell the clinic if it was not avoided), so no
patient is told to do what can no longer be done. Every "call the clinic" carries the
clinic's phone; every message links to the patient portal (SITE_URL). SMS have their own
short texts (sms_texts.py).

Safety: every message that carries instructions ends with SAFETY, and the knowledge's own
texts about medicines already say to ask the prescribing doctor; nothing here tells a
patient to stop a medicine, and a late medicine instruction says so again.
"""

import datetime as dt

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from mesoclinic.engine.aftercare import duration, pre_treatment
from mesoclinic.engine.knowledge import load, text
from mesoclinic.engine.signs import action, flags
from mesoclinic.lib import clinicday
from mesoclinic.lib.contact import call_the_clinic, phone_line
from mesoclinic.lib.language import person_language
from mesoclinic.lib.links import absolute_url
from mesoclinic.lib.titles import protocol_title
from mesoclinic.outbox.kinds import Letter, Stale

from .appointment_types import prepares
from .models import Kind, Status
from .slots import epoch
from .sms_texts import sms


def SAFETY() -> str:  # noqa: N802 - a constant that must be translated when used
    return _(
        "Never stop or change a medicine a doctor prescribed for you without asking the "
        "doctor who prescribed it."
    )


def _when(moment: dt.datetime, zone) -> str:
    local = clinicday.local(moment, zone)
    return f"{formats.date_format(local, 'l j F Y')} {local:%H:%M}"


def _about_medicines(k, item_id: str) -> bool:
    """The knowledge's own text speaks of prescribed medicines (aspirin, retinoids...)."""
    return "prescrib" in text(k.instructions[item_id].text, "en").lower()


def _late(k, item: dict, begins: dt.datetime, zone, lang: str) -> str:
    """What still applies of an instruction whose window began before this message."""
    line = _(
        "%(label)s: this advice was for the %(duration)s before the session, from %(when)s, "
        "and that time has begun. Avoid it from now until the session; if you did not avoid "
        "it since %(when)s, tell the clinic before the session."
    ) % {
        "label": item["label"],
        "duration": duration(k, item["hours"], lang),
        "when": _when(begins, zone),
    }
    if _about_medicines(k, item["id"]):
        line += " " + _(
            "If a doctor prescribed it, keep taking it and ask your prescribing doctor."
        )
    return line


def instructions(
    protocol: str, start: dt.datetime, zone, lang: str, *, day_only=False, now=None
) -> list:
    """Pre-treatment lines: "From <moment>: <instruction>", the instruction alone, or, when
    its window began before `now` (the moment the message is sent), what still applies."""
    now = now or timezone.now()
    k = load()
    lines = []
    for item in pre_treatment(k, protocol, start, lang)["items"]:
        hours = item["hours"]
        if day_only and hours is not None and hours > 24:
            continue
        if item["from"]:
            begins = dt.datetime.fromisoformat(item["from"])
            if begins <= now:
                lines.append(_late(k, item, begins, zone, lang))
                continue
            lines.append(
                _("From %(when)s: %(text)s") % {"when": _when(begins, zone), "text": item["text"]}
            )
        else:
            lines.append(item["text"])
    return lines


def preparation(appointment, lang: str) -> list[str]:
    """How to prepare for `appointment`, as of now (the portal shows it: a patient reached
    only by SMS reads it there). Nothing before a consultation or a review."""
    if not prepares(appointment.appointment_type):
        return []
    zone = clinicday.zone(appointment.clinic)
    return instructions(appointment.protocol, appointment.start, zone, lang)


def stale_reason(message) -> str | None:
    """Why the message no longer applies (the appointment moved, was cancelled...)."""
    a = message.about if message.kind in (Kind.PREPARE, Kind.REMINDER, Kind.FOLLOWUP) else None
    if message.kind in (Kind.PREPARE, Kind.REMINDER):
        if a is None or a.status != Status.BOOKED:
            return "appointment no longer booked"
        if epoch(a.start) != int(message.params.get("start", 0)):
            return "appointment moved"
        if a.start <= timezone.now():
            return "appointment has begun"  # e.g. after a long mail server outage
    if message.kind == Kind.FOLLOWUP and (a is None or a.status != Status.DONE):
        return "session did not take place"
    return None


def render(message) -> tuple[str, str]:
    """(subject, body) of `message` in the patient's language."""
    lang = person_language(message.patient)
    with translation.override(lang):
        subject, body = _RENDER[message.kind](message, lang)
        return subject, body + _footer(message)


def letter(message) -> Letter:
    """The outbox's renderer for scheduling's kinds (to the patient's address), with the
    short text an SMS carries."""
    reason = stale_reason(message)
    if reason:
        raise Stale(reason)
    subject, body = render(message)
    return Letter(subject, body, sms=sms(message))


def _footer(message) -> str:
    """The patient portal's link and the clinic's phone, under every message."""
    lines = [_("Your patient portal: %(link)s") % {"link": portal_link(message.kind)}]
    if message.clinic.phone:
        lines.append(phone_line(message.clinic))
    return "\n".join(["", *lines, ""])


def portal_link(kind: str) -> str:
    """The portal page a message of `kind` leads to (absolute, under SITE_URL)."""
    name = {
        Kind.PREPARE: "portal:appointments",
        Kind.REMINDER: "portal:appointments",
        Kind.FOLLOWUP: "portal:checkins",
    }.get(kind, "portal:home")
    return absolute_url(name)


def _greeting(message) -> str:
    return _("Dear %(name)s,") % {"name": message.patient.given_name}


def _appointment(message, lang: str, *, day_only: bool) -> tuple[str, list[str]]:
    a = message.about
    zone = clinicday.zone(message.clinic)
    title = protocol_title(a.protocol, lang)
    head = _("your %(protocol)s session at %(clinic)s is on %(when)s.") % {
        "protocol": title,
        "clinic": message.clinic.name,
        "when": _when(a.start, zone),
    }
    lines = (  # no preparation advice before a consultation or a review
        instructions(a.protocol, a.start, zone, lang, day_only=day_only)
        if prepares(a.appointment_type)
        else []
    )
    body = [_greeting(message), "", head, ""]
    if lines:
        body += [_("How to prepare:"), *[f"- {line}" for line in lines], ""]
    body += [
        SAFETY(),
        _("To move or cancel the appointment, %(call)s.") % {"call": call_the_clinic(a.clinic)},
        "",
    ]
    return title, body


def _prepare(message, lang: str) -> tuple[str, str]:
    title, body = _appointment(message, lang, day_only=False)
    return _("Preparing for your %(protocol)s session") % {"protocol": title}, "\n".join(body)


def _reminder(message, lang: str) -> tuple[str, str]:
    minutes = int(message.params.get("offset_minutes", 0))
    title, body = _appointment(message, lang, day_only=minutes < 24 * 60)
    return _("Reminder: your %(protocol)s session") % {"protocol": title}, "\n".join(body)


def _followup(message, lang: str) -> tuple[str, str]:
    a = message.about
    k = load()
    p = k.protocols.get(a.protocol)
    zone = clinicday.zone(message.clinic)
    day = int(message.params.get("day", 0))
    title = protocol_title(a.protocol, lang)
    body = [
        _greeting(message),
        "",
        _("It is %(days)s days since your %(protocol)s session of %(when)s. How is your skin?")
        % {"days": day, "protocol": title, "when": _when(a.start, zone)},
        _("Please tell us in your patient portal or %(call)s, even if all is well.")
        % {"call": call_the_clinic(message.clinic)},
        "",
    ]
    if p is not None and p.red_flags:
        body.append(_("Warning signs, and what to do if you notice one:"))
        body += [f"- {text(f.text, lang)} {action(k, f.level, lang)}" for f in flags(k, p.id)]
        if message.clinic.phone:
            body.append(phone_line(message.clinic))
        body.append("")
    return _("How is your skin after your %(protocol)s session?") % {"protocol": title}, "\n".join(
        body
    )


def _long_date(iso: str) -> str:
    """A date of the message's params written for a reader ("14 January 2027" in English,
    "14 Ocak 2027" in Turkish: the active language, which the sender sets to the patient's)."""
    return formats.date_format(dt.date.fromisoformat(iso), "j F Y")


def _recall(message, lang: str) -> tuple[str, str]:
    protocol = message.params.get("protocol", "")
    title = protocol_title(protocol, lang)
    body = [
        _greeting(message),
        "",
        _(
            "Your %(protocol)s series is complete. A maintenance session is advised between "
            "%(first)s and %(last)s."
        )
        % {
            "protocol": title,
            "first": _long_date(message.params["from"]),
            "last": _long_date(message.params["until"]),
        },
        _("To book it, %(call)s.") % {"call": call_the_clinic(message.clinic)},
        "",
    ]
    return _("Time for your %(protocol)s maintenance session") % {"protocol": title}, "\n".join(
        body
    )


def _offer(message, lang: str) -> tuple[str, str]:
    zone = clinicday.zone(message.clinic)
    title = protocol_title(message.params.get("protocol", ""), lang)
    start = dt.datetime.fromtimestamp(int(message.params["start"]), tz=zone)
    body = [
        _greeting(message),
        "",
        _("A %(protocol)s appointment has become free on %(when)s at %(clinic)s.")
        % {"protocol": title, "when": _when(start, zone), "clinic": message.clinic.name},
        _("You are on our waiting list: if you would like it, %(call)s.")
        % {"call": call_the_clinic(message.clinic)},
        "",
    ]
    return _("A %(protocol)s appointment is free") % {"protocol": title}, "\n".join(body)


_RENDER = {
    Kind.PREPARE: _prepare,
    Kind.REMINDER: _reminder,
    Kind.FOLLOWUP: _followup,
    Kind.RECALL: _recall,
    Kind.OFFER: _offer,
}
