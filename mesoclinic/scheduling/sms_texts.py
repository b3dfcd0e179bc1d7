"""The short texts scheduling's messages carry by SMS: one or two segments (outbox.segments
counts them; Turkish ç ğ ı İ ş make a text UCS-2, 67 characters a segment when split),
each with a link to the patient portal and the clinic's phone. Preparation instructions
do not fit in a text: the SMS points to the portal and the e-mail, which carry them.

Each text is tried richest first (with the clinic's name and the protocol's short title)
and shortened until it fits two segments; the link and the phone are never dropped.
"""

import datetime as dt
import re

from django.utils import formats, translation
from django.utils.translation import gettext as _

from mesoclinic.lib import clinicday
from mesoclinic.lib.language import person_language
from mesoclinic.lib.links import absolute_url
from mesoclinic.lib.titles import protocol_title
from mesoclinic.outbox.segments import fit

from .models import Kind

MAX_SEGMENTS = 2


def short_title(protocol: str, lang: str) -> str:
    """The protocol's title without its parenthesis: "Face mesolift", "Yüz mezolifti"."""
    return re.sub(r"\s*\([^)]*\)", "", protocol_title(protocol, lang)).strip()


def _when(moment: dt.datetime, clinic) -> str:
    local = clinicday.local(moment, clinicday.zone(clinic))
    return f"{formats.date_format(local, 'D j M')} {local:%H:%M}"


def sms(message) -> str:
    """The SMS text of `message`, in the patient's language."""
    lang = person_language(message.patient)
    with translation.override(lang):
        values = {
            "link": absolute_url("portal:home"),  # the shortest: a text has little room
            "phone": message.clinic.phone or "",
            "clinic": message.clinic.name,
        }
        variants = _TEXTS[message.kind](message, lang, values)
        return fit([v.strip() for v in variants], MAX_SEGMENTS)


def _variants(values: dict, title: str, with_clinic: str, without: str, bare: str) -> list:
    """With the clinic's name and the protocol, then without the name, then without both."""
    v = {**values, "protocol": title}
    return [with_clinic % v, without % v, bare % v]


def _call(values) -> str:
    return (_("Call %(phone)s") % values) if values["phone"] else _("Call the clinic")


def _prepare(message, lang, values):
    a = message.about
    values = {**values, "when": _when(a.start, message.clinic), "call": _call(values)}
    return _variants(
        values,
        short_title(a.protocol, lang),
        _("%(clinic)s: %(protocol)s on %(when)s. Details: %(link)s %(call)s"),
        _("%(protocol)s on %(when)s. Details: %(link)s %(call)s"),
        _("Your session on %(when)s. Details: %(link)s %(call)s"),
    )


def _reminder(message, lang, values):
    a = message.about
    values = {**values, "when": _when(a.start, message.clinic), "call": _call(values)}
    return _variants(
        values,
        short_title(a.protocol, lang),
        _("%(clinic)s: reminder, %(protocol)s on %(when)s. To move it: %(call)s. %(link)s"),
        _("Reminder: %(protocol)s on %(when)s. To move it: %(call)s. %(link)s"),
        _("Reminder: your session on %(when)s. To move it: %(call)s. %(link)s"),
    )


def _followup(message, lang, values):
    values = {**values, "days": int(message.params.get("day", 0)), "call": _call(values)}
    signs = " " + _("Warning signs: %(call)s.") % values
    return [
        _("%(clinic)s: how is your skin %(days)s days after your session? Tell us: %(link)s")
        % values
        + signs,
        _("How is your skin %(days)s days after your session? Tell us: %(link)s") % values + signs,
        _("How is your skin? Tell us: %(link)s") % values + signs,
    ]


def _recall(message, lang, values):
    values = {
        **values,
        "from": formats.date_format(dt.date.fromisoformat(message.params["from"]), "j M"),
        "until": formats.date_format(dt.date.fromisoformat(message.params["until"]), "j M Y"),
        "call": _call(values),
    }
    return _variants(
        values,
        short_title(message.params.get("protocol", ""), lang),
        _(
            "%(clinic)s: time for your %(protocol)s maintenance, %(from)s-%(until)s. "
            "To book: %(call)s. %(link)s"
        ),
        _(
            "Time for your %(protocol)s maintenance, %(from)s-%(until)s. To book: %(call)s. %(link)s"
        ),
        _("Time for your maintenance session, %(from)s-%(until)s. To book: %(call)s. %(link)s"),
    )


def _offer(message, lang, values):
    start = dt.datetime.fromtimestamp(int(message.params["start"]), tz=dt.UTC)
    values = {**values, "when": _when(start, message.clinic), "call": _call(values)}
    return _variants(
        values,
        short_title(message.params.get("protocol", ""), lang),
        _("%(clinic)s: a %(protocol)s slot is free on %(when)s. Want it? %(call)s. %(link)s"),
        _("A %(protocol)s slot is free on %(when)s. Want it? %(call)s. %(link)s"),
        _("A slot is free on %(when)s. Want it? %(call)s. %(link)s"),
    )


_TEXTS = {
    Kind.PREPARE: _prepare,
    Kind.REMINDER: _reminder,
    Kind.FOLLOWUP: _followup,
    Kind.RECALL: _recall,
    Kind.OFFER: _offer,
}
