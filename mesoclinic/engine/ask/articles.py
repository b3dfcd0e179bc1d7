"""Patient-education articles (knowledge/articles/*.yaml): loading, checking, rendering.

An article never types a clinical number. A section's body writes {placeholders} that are
filled from the knowledge base when it is shown, so an article cannot contradict the rules:
  {P.title}                      the protocol's name
  {P.series.sessions}            "4 to 6" (sessions in a series); .default: "4"
  {P.series.interval}            "2 to 3 weeks"; .every: "every 2 to 3 weeks"
  {P.maintenance}                "2 to 4 months"; .every: "every 2 to 4 months"
  {P.session_minutes}            "15";  {P.cream.lead}: "30 to 60" (minutes)
  {P.aftercare.ITEM} {P.pre.ITEM} {P.expected.SYMPTOM}   durations: "24 hours", "2 weeks"
  {P.expected.SYMPTOM.minutes}   a short sensation: "15 to 20 minutes"
  {P.series.sessions.article} {P.series.interval.article}   the source article's own value
                                 where the (stricter) default differs: "3 to 4", "1 week"
  {P.stages.N.depth_max}         "2" (mm);  {P.rules.RULE.age}: a protocol rule's age
  {rules.RULE.age} {rules.RULE.within} {rules.RULE.class_days}   from rules.yaml
  {signs.SIGN.text} {signs.SIGN.name} {signs.SIGN.action}   a warning sign (warning_signs.yaml)
                                 and what to do: the same action triage and consent give
P is a protocol id, or `p`: the asker's protocol (face-mesolift when unknown). The only
other figures a body may hold are its `literals`, quoted from the section's sources.
"""

import hashlib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ..aftercare import duration
from ..knowledge import Knowledge, text
from ..schema import KnowledgeError, Strict, Text, decode
from ..signs import action

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "knowledge" / "articles"
DEFAULT_PROTOCOL = "face-mesolift"
PLACEHOLDER = re.compile(r"\{([a-z0-9._\-]+)\}")
_DIGIT = re.compile(r"\d")


class Section(Strict, kw_only=True):
    id: str
    title: Text
    body: Text
    sources: list[str]
    ask: dict[str, list[str]] = {}  # sample questions and lay words, per language
    protocol: str | None = None  # the section is about this protocol
    item: str | None = None  # the aftercare item or usual reaction it explains
    literals: list[str] = []  # figures quoted from the sources, not from the rules


class ArticleFile(Strict, kw_only=True):
    id: str
    title: Text
    sections: list[Section]


@dataclass(frozen=True, slots=True)
class Fact:
    """A placeholder filled in: its text and the knowledge-base sources behind it."""

    text: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, eq=False)
class Articles:
    version: str
    articles: dict[str, ArticleFile]
    sections: dict[str, Section]  # "article/section" -> section
    extra: dict[str, Any] = field(default_factory=dict)  # _ask.yaml: lexicon and phrasing


# --- Formatting numbers --------------------------------------------------------------------


def _unit(extra: dict, lang: str, unit: str, n: int) -> str:
    singular, plural = extra["units"][lang][unit]
    return singular if n == 1 else plural


def span(lo: int, hi: int, lang: str) -> str:
    if lo == hi:
        return str(lo)
    return f"{lo} to {hi}" if lang == "en" else f"{lo}-{hi}"


def hours_text(k: Knowledge, extra: dict, hours: int, lang: str) -> str:
    if hours >= 24 * 150:
        n = round(hours / 24 / 30.44)
        return f"{n} {_unit(extra, lang, 'month', n)}"
    return duration(k, hours, lang)


def days_text(extra: dict, lo: int, hi: int, lang: str, every: bool = False) -> str:
    """14-21 -> "2 to 3 weeks", 60-120 -> "2 to 4 months", 15-28 -> "15 to 28 days"."""
    if hi >= 56:
        unit, lo, hi = "month", round(lo / 30.44), round(hi / 30.44)
    elif lo % 7 == 0 and hi % 7 == 0:
        unit, lo, hi = "week", lo // 7, hi // 7
    else:
        unit = "day"
    body = f"{span(lo, hi, lang)} {_unit(extra, lang, unit, hi)}"
    if not every:
        return body
    if lang == "en":
        return f"every {body}"
    return f"{span(lo, hi, lang)} {extra['units']['tr_locative'][unit]} bir"


# --- Placeholders ----------------------------------------------------------------------------


def _rule(k: Knowledge, protocol_id: str | None, rule_id: str):
    if protocol_id is None:
        return k.rules[rule_id]
    return {r.id: r for r in k.protocols[protocol_id].own_rules}[rule_id]


def _rule_fact(k: Knowledge, extra: dict, rule, what: str, lang: str) -> Fact:
    w = rule.when
    if what == "age" and w.age_below is not None:
        return Fact(str(w.age_below), tuple(rule.sources))
    if what == "within" and w.within_days is not None:
        return Fact(hours_text(k, extra, w.within_days * 24, lang), tuple(rule.sources))
    if what == "class_days" and w.recent_class_session_days is not None:
        return Fact(
            days_text(extra, w.recent_class_session_days, w.recent_class_session_days, lang),
            tuple(rule.sources),
        )
    raise KeyError(what)


def _article_alternative(k: Knowledge, alternatives, value: str):
    """The first alternative that gives `value` and cites one of the source articles."""
    for alt in alternatives:
        if getattr(alt, value) is not None and any(
            k.sources[sid].kind == "article" for sid in alt.sources
        ):
            return alt
    raise KeyError(value)


def _protocol_fact(k: Knowledge, extra: dict, p, path: list[str], lang: str) -> Fact:
    head, rest = path[0], path[1:]
    s, m = p.series, p.maintenance.every_days
    if head == "series" and rest in (["sessions", "article"], ["interval", "article"]):
        value = "sessions" if rest[0] == "sessions" else "interval_days"
        alt = _article_alternative(k, s.alternatives, value)
        lo, hi = getattr(alt, value).min, getattr(alt, value).max
        body = span(lo, hi, lang) if value == "sessions" else days_text(extra, lo, hi, lang)
        return Fact(body, tuple(alt.sources))
    if head == "title" and not rest:
        return Fact(text(p.title, lang), tuple(p.sources))
    if head == "series" and rest == ["sessions"]:
        return Fact(span(s.sessions.min, s.sessions.max, lang), tuple(s.sources))
    if head == "series" and rest == ["sessions", "default"]:
        return Fact(str(s.sessions.default), tuple(s.sources))
    if head == "series" and rest[:1] == ["interval"] and rest[1:] in ([], ["every"]):
        every = rest[1:] == ["every"]
        days = days_text(extra, s.interval_days.min, s.interval_days.max, lang, every)
        return Fact(days, tuple(s.sources))
    if head == "maintenance" and rest in ([], ["every"]):
        return Fact(days_text(extra, m.min, m.max, lang, bool(rest)), tuple(p.maintenance.sources))
    if head == "session_minutes" and not rest:
        return Fact(str(p.session_minutes.value), tuple(p.session_minutes.sources))
    if head == "cream" and rest == ["lead"] and p.anaesthetic_cream is not None:
        lead = p.anaesthetic_cream.lead_minutes
        return Fact(span(lead.min, lead.max, lang), tuple(p.anaesthetic_cream.sources))
    if head in ("aftercare", "pre") and len(rest) == 1:
        refs = {r.item: r for r in (p.aftercare if head == "aftercare" else p.pre_treatment)}
        ref = refs[rest[0]]
        if ref.hours is None:
            raise KeyError(rest[0])
        return Fact(hours_text(k, extra, ref.hours, lang), tuple(ref.sources))
    if head == "expected" and len(rest) == 1:
        r = {r.symptom: r for r in p.expected_reactions}[rest[0]]
        return Fact(hours_text(k, extra, r.usual_hours, lang), tuple(r.sources))
    if head == "expected" and len(rest) == 2 and rest[1] == "minutes":
        r = {r.symptom: r for r in p.expected_reactions}[rest[0]]
        if r.minutes is None:
            raise KeyError("minutes")
        lo, hi = r.minutes.min, r.minutes.max
        return Fact(f"{span(lo, hi, lang)} {_unit(extra, lang, 'minute', hi)}", tuple(r.sources))
    if head == "stages" and len(rest) == 2 and rest[1] == "depth_max":
        stage = p.stages[int(rest[0]) - 1]
        if stage.depth_mm is None:
            raise KeyError("depth_mm")
        return Fact(f"{stage.depth_mm.max:g}", tuple(stage.sources))
    if head == "rules" and len(rest) == 2:
        return _rule_fact(k, extra, _rule(k, p.id, rest[0]), rest[1], lang)
    raise KeyError(".".join(path))


def resolve(k: Knowledge, extra: dict, key: str, lang: str, protocol: str | None = None) -> Fact:
    """The text of one placeholder; KeyError (or IndexError/ValueError) when it is unknown."""
    head, *path = key.split(".")
    if head == "signs" and len(path) == 2 and path[1] in ("text", "name", "action"):
        sign = k.signs.by_id[path[0]]
        value = (
            action(k, sign.level, lang)
            if path[1] == "action"
            else text(getattr(sign, path[1]), lang)
        )
        return Fact(value, tuple(sign.sources))
    if head == "rules" and len(path) == 2:
        return _rule_fact(k, extra, _rule(k, None, path[0]), path[1], lang)
    pid = (protocol or DEFAULT_PROTOCOL) if head == "p" else head
    if pid not in k.protocols or not path:
        raise KeyError(key)
    return _protocol_fact(k, extra, k.protocols[pid], path, lang)


def placeholders(body: str) -> list[str]:
    return PLACEHOLDER.findall(body)


def problems(k: Knowledge, extra: dict, section: Section, body: str, lang: str) -> list[str]:
    """What is wrong with a body text: unknown placeholders, figures typed in by hand.
    Used on the packaged articles (at load) and on every text a clinic edits."""
    found = []
    for key in placeholders(body):
        try:
            resolve(k, extra, key, lang, section.protocol)
        except (KeyError, IndexError, ValueError):
            found.append(f"unknown placeholder {{{key}}}")
    rest = PLACEHOLDER.sub(" ", body)
    for literal in section.literals:
        rest = rest.replace(literal, " ")
    if _DIGIT.search(rest):
        found.append(
            "a number typed in by hand: numbers come from the knowledge base as {placeholders}"
        )
    return found


def render(
    k: Knowledge, extra: dict, body: str, lang: str, protocol: str | None = None
) -> tuple[str, list[str], list[str]]:
    """The body with every placeholder filled: (text, fact keys, knowledge source ids)."""
    keys: list[str] = []
    sources: list[str] = []

    def fill(match: re.Match) -> str:
        fact = resolve(k, extra, match.group(1), lang, protocol)
        keys.append(match.group(1))
        sources.extend(fact.sources)
        return fact.text

    return PLACEHOLDER.sub(fill, body), keys, list(dict.fromkeys(sources))


# --- Loading -----------------------------------------------------------------------------------


def _check(k: Knowledge, extra: dict, art: ArticleFile, rel: str) -> None:
    seen = set()
    known_items = set(k.instructions) | set(k.messages.symptoms)
    for i, sec in enumerate(art.sections):
        where = f"{rel}: $.sections[{i}] ({sec.id})"
        if sec.id in seen:
            raise KnowledgeError(f"{where}: duplicate section id")
        seen.add(sec.id)
        for field_name in ("title", "body"):
            if set(getattr(sec, field_name)) != {"en", "tr"}:
                raise KnowledgeError(f"{where}: {field_name} needs exactly en and tr")
        if not sec.sources:
            raise KnowledgeError(f"{where}: empty sources")
        for sid in sec.sources:
            if sid not in k.sources:
                raise KnowledgeError(f"{where}: unknown source {sid!r}")
        if sec.protocol is not None and sec.protocol not in k.protocols:
            raise KnowledgeError(f"{where}: unknown protocol {sec.protocol!r}")
        if sec.item is not None and sec.item not in known_items:
            raise KnowledgeError(f"{where}: unknown item {sec.item!r}")
        keys = {lang: sorted(placeholders(sec.body[lang])) for lang in ("en", "tr")}
        if keys["en"] != keys["tr"]:
            raise KnowledgeError(f"{where}: en and tr bodies use different placeholders")
        for lang in ("en", "tr"):
            for problem in problems(k, extra, sec, sec.body[lang], lang):
                raise KnowledgeError(f"{where}.body.{lang}: {problem}")


def _read(path: Path) -> Any:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(path.read_bytes(), Loader=loader)
    except yaml.YAMLError as exc:
        message = f"articles/{path.name}: not valid YAML: {exc}".replace("\n", " ")
        raise KnowledgeError(message) from None


def load_articles(k: Knowledge, directory: Path | str | None = None) -> Articles:
    """The articles in `directory` (default: the packaged ones), checked against `k`."""
    if directory is None:
        return _default(k)
    return _load(k, Path(directory))


@cache
def _default(k: Knowledge) -> Articles:
    return _load(k, DEFAULT_DIR)


def _load(k: Knowledge, directory: Path) -> Articles:
    if not directory.is_dir():
        raise KnowledgeError(f"articles directory not found: {directory}")
    digest = hashlib.sha256()
    extra_path = directory / "_ask.yaml"
    if not extra_path.is_file():
        raise KnowledgeError("articles/_ask.yaml: missing")
    digest.update(extra_path.read_bytes())
    extra = _read(extra_path)
    units = {
        lang: {**k.messages.units[lang], "month": extra["month_units"][lang]}
        for lang in ("en", "tr")
    }
    extra["units"] = {**units, "tr_locative": extra["tr_locative"]}
    articles: dict[str, ArticleFile] = {}
    sections: dict[str, Section] = {}
    for path in sorted(directory.glob("[!_]*.yaml")):
        rel = f"articles/{path.name}"
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
        art: ArticleFile = decode(_read(path), ArticleFile, rel)
        if f"{art.id}.yaml" != path.name:
            raise KnowledgeError(f"{rel}: id {art.id!r} does not match the file name")
        _check(k, extra, art, rel)
        articles[art.id] = art
        sections.update({f"{art.id}/{s.id}": s for s in art.sections})
    return Articles(digest.hexdigest()[:16], articles, sections, extra)
