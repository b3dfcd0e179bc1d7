"""The consent text of a protocol, composed from the knowledge base in every language.

Everything clinical comes from the knowledge files (procedure, reactions, risks, warning
signs, alternatives, evidence, aftercare), each item with the numbers of its references;
only the connecting phrases are ours, through Django's translation. The same knowledge and
the same phrases give the same text and hash, so a change of either is a new version.

A document: {"language", "title", "sections": [{"id", "heading", "items": [{"text",
"refs": [1, 2]}]}], "references_heading", "references": ["citation", ...]}.
"""

import datetime as dt
import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from mesoclinic.engine.aftercare import aftercare, duration
from mesoclinic.engine.knowledge import Knowledge, text
from mesoclinic.engine.schema import Protocol, Range
from mesoclinic.engine.signs import action, flags


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


class _References:
    """Numbers each cited source in order of first use."""

    def __init__(self, k: Knowledge):
        self.k = k
        self.ids: list[str] = []

    def __call__(self, source_ids) -> list[int]:
        numbers = []
        for sid in source_ids:
            if sid not in self.ids:
                self.ids.append(sid)
            numbers.append(self.ids.index(sid) + 1)
        return sorted(set(numbers))

    def citations(self) -> list[str]:
        return self.k.cite(self.ids)


def _span(r: Range, fmt) -> str:
    if r.min == r.max:
        return fmt(r.default)
    return _("%(usual)s (between %(low)s and %(high)s)") % {
        "usual": fmt(r.default),
        "low": fmt(r.min),
        "high": fmt(r.max),
    }


def _procedure(k: Knowledge, p: Protocol, lang: str, refs) -> list[dict]:
    def days(n: int) -> str:
        return duration(k, n * 24, lang)

    items = [
        {
            "text": _("Sessions in the course: %(sessions)s. Time between sessions: %(interval)s.")
            % {
                "sessions": _span(p.series.sessions, str),
                "interval": _span(p.series.interval_days, days),
            },
            "refs": refs(p.series.sources),
        },
        {
            "text": _(
                "After the course, a maintenance session may be offered about every %(interval)s."
            )
            % {"interval": _span(p.maintenance.every_days, days)},
            "refs": refs(p.maintenance.sources),
        },
        {
            "text": _("Each session takes about %(minutes)s minutes.")
            % {"minutes": p.session_minutes.value},
            "refs": refs(p.session_minutes.sources),
        },
    ]
    if p.anaesthetic_cream:
        items.append(
            {
                "text": _(
                    "A numbing (anaesthetic) cream is put on the skin about %(minutes)s minutes "
                    "before the injections."
                )
                % {"minutes": p.anaesthetic_cream.lead_minutes.default},
                "refs": refs(p.anaesthetic_cream.sources),
            }
        )
    else:
        items.append({"text": _("No numbing cream is used."), "refs": refs(p.sources)})
    for stage in p.stages:
        line = (
            _("Stage %(number)s, %(name)s: %(description)s")
            if len(p.stages) > 1
            else _("%(name)s: %(description)s")
        ) % {
            "number": stage.number,
            "name": text(stage.name, lang),
            "description": text(stage.description, lang),
        }
        if stage.requires_physician:
            line += " " + _("A physician decides on this stage and is responsible for it.")
        items.append({"text": line, "refs": refs(stage.sources)})
    return items


ANY_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # aftercare() wants a session end; unused here


def _document(k: Knowledge, p: Protocol, lang: str) -> dict:
    refs = _References(k)
    t = lambda value: text(value, lang)  # noqa: E731
    sections = [
        ("procedure", _("The procedure"), _procedure(k, p, lang, refs)),
        (
            "expected",
            _("What is usual after a session"),
            [
                {
                    "text": _("%(symptom)s: %(text)s Usually gone within %(duration)s.")
                    % {
                        "symptom": t(k.messages.symptoms[r.symptom]),
                        "text": t(r.text),
                        "duration": duration(k, r.usual_hours, lang),
                    },
                    "refs": refs(r.sources),
                }
                for r in p.expected_reactions
            ],
        ),
        (
            "risks",
            _("Risks"),
            [{"text": t(r.text), "refs": refs(r.sources)} for r in k.consent.risks],
        ),
        (
            "warning_signs",
            _("Warning signs and what to do"),
            [
                {"text": f"{t(f.text)} {action(k, f.level, lang)}", "refs": refs(f.sources)}
                for f in flags(k, p.id)
            ],
        ),
        (
            "alternatives",
            _("Alternatives"),
            [
                {"text": t(a.text), "refs": refs(a.sources)}
                for a in k.consent.alternatives.get(p.id, [])
            ],
        ),
        (
            "evidence",
            _("What the evidence shows"),
            [{"text": t(k.consent.evidence.text), "refs": refs(k.consent.evidence.sources)}],
        ),
        (
            "aftercare",
            _("Aftercare"),
            [
                {"text": f"{item['label']}: {item['text']}", "refs": refs(item["source_ids"])}
                for item in aftercare(k, p.id, ANY_TIME, lang)["items"]
            ],
        ),
        (
            "declaration",
            _("Consent"),
            [
                {
                    "text": _(
                        "I have read this text, or had it read to me, and my questions were answered."
                    ),
                    "refs": [],
                },
                {
                    "text": _(
                        "I know that no result is promised and that I may stop the treatment at any time."
                    ),
                    "refs": [],
                },
                {
                    "text": _(
                        "This consent covers the protocol and the product classes ticked on the form, in "
                        "this version of the text. A different protocol, a new product class or a new "
                        "version of the text needs a new consent."
                    ),
                    "refs": [],
                },
                {
                    "text": _("I may withdraw this consent at any time before a session."),
                    "refs": [],
                },
            ],
        ),
    ]
    return {
        "language": lang,
        "title": _("Consent to treatment: %(protocol)s") % {"protocol": t(p.title)},
        "sections": [
            {"id": sid, "heading": heading, "items": items} for sid, heading, items in sections
        ],
        "references_heading": _("Sources"),
        "references": refs.citations(),
    }


@lru_cache(maxsize=64)
def _composed(k: Knowledge, protocol: str) -> tuple[str, str]:
    body = {}
    for lang in languages():
        with translation.override(lang):
            body[lang] = _document(k, k.protocols[protocol], lang)
    serial = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return serial, hashlib.sha256(serial.encode()).hexdigest()


def compose(k: Knowledge, protocol: str) -> tuple[dict, str]:
    """(body, content hash) of the consent text of `protocol` under knowledge `k`."""
    serial, digest = _composed(k, protocol)
    return json.loads(serial), digest


def content_hash(k: Knowledge, protocol: str) -> str:
    return _composed(k, protocol)[1]
