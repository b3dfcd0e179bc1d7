"""Screening: may this patient have this protocol on this date?

Pure and deterministic: knowledge + facts + a date in, a decision with reasons and
sources out. The most restrictive finding wins (contraindicated > review > defer >
eligible); an unanswered question is never a "no".
"""

import datetime as dt
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from msgspec import UNSET

from .aftercare import duration
from .inputs import InputError, Product, parse, protocol_of, screen_type
from .knowledge import Knowledge, SafeFormat, normalize, text
from .names import (
    _allergen,
    _allergy_matches,
    _identify,
    _Ingredient,
    _words,
    device_of,
)
from .schema import InstructionRef, Rule, When

RANK = {"eligible": 0, "defer": 1, "review": 2, "contraindicated": 3}
DECISIONS = tuple(RANK)


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    decision: str
    reason: str
    sources: tuple[str, ...]  # source ids
    defer_until: dt.date | None = None  # None on a defer finding: no fixed end
    facts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Screening:
    protocol: str
    date: dt.date
    decision: str
    defer_until: dt.date | None
    findings: tuple[Finding, ...]
    knowledge_version: str

    def as_dict(self, k: Knowledge) -> dict[str, Any]:
        return {
            "decision": self.decision,
            "defer_until": self.defer_until.isoformat() if self.defer_until else None,
            "findings": [
                {
                    "rule": f.rule,
                    "decision": f.decision,
                    "reason": f.reason,
                    "sources": k.cite(f.sources),
                    "source_ids": list(f.sources),
                    "defer_until": f.defer_until.isoformat() if f.defer_until else None,
                    "facts": list(f.facts),
                }
                for f in self.findings
            ],
            "protocol": self.protocol,
            "date": self.date.isoformat(),
            "knowledge_version": self.knowledge_version,
        }


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


class _Request:
    __slots__ = (
        "protocol",
        "date",
        "facts",
        "products",
        "last_sessions",
        "lang",
        "named",
        "unknown",
    )

    def __init__(self, protocol, date, facts, products, last_sessions, lang, named, unknown):
        self.protocol = protocol
        self.date = date
        self.facts = facts
        self.products = products
        self.last_sessions = last_sessions
        self.lang = lang
        self.named = named  # bool fact id -> the device names that answer it yes
        self.unknown = unknown  # device names the knowledge does not recognise


def _hours(refs: list[InstructionRef], item: str | None) -> int | None:
    """How long the protocol's instruction `item` lasts (None: the protocol has none)."""
    return next((r.hours for r in refs if r.item == item and r.hours), None)


def _window(k: Knowledge, when: When, req: _Request, value: dt.date) -> dict[str, Any] | None:
    """The parameters when `value` falls inside the protocol's instruction window around
    the date (whole days, both ends counted: the stricter reading), else None."""
    p = k.protocols[req.protocol]
    before = _hours(p.pre_treatment, when.window.before)
    after = _hours(p.aftercare, when.window.after)
    if before is None and after is None:
        return None
    lo = req.date - dt.timedelta(days=math.ceil((before or 0) / 24))
    hi = req.date + dt.timedelta(days=math.ceil((after or 0) / 24))
    if not lo <= value <= hi:
        return None
    texts = k.messages.texts
    parts = {"before": before, "after": after}
    key = "window_" + "_".join(side for side, hours in parts.items() if hours)
    spans = {side: duration(k, h, req.lang) for side, h in parts.items() if h}
    return {"date": value.isoformat(), "window": text(texts[key], req.lang).format(**spans)}


def _product_hits(k: Knowledge, req: _Request, cls: str) -> list[tuple[Product, _Ingredient, str]]:
    hits = []
    for product in req.products or ():
        for name in product.ingredients:
            ing = _identify(k, name)
            if cls in ing.classes:
                hits.append((product, ing, name))
    return hits


def _evaluate(
    k: Knowledge, when: When, req: _Request, unanswered: dict[str, list[str]], rule: Rule
):
    """Yield (params, defer_until) for every way `when` holds."""
    base: list[dict[str, Any]] = [{}]
    if when.ingredient_class is not None:
        hits = _product_hits(k, req, when.ingredient_class)
        if not hits:
            return
        base = [{"product": p.name, "substance": name} for p, _, name in hits]
        base = [dict(t) for t in {tuple(b.items()) for b in base}]
        base.sort(key=lambda b: (b["product"], b["substance"]))
    until: dt.date | None = None
    if when.recent_class_session_days is not None:
        last = req.last_sessions.get(when.ingredient_class)
        if last is None:
            return
        until = last + dt.timedelta(days=when.recent_class_session_days)
        if req.date >= until:
            return
        base = [
            {**b, "date": last.isoformat(), "days": when.recent_class_session_days} for b in base
        ]
    if when.vehicle_refused:
        bad = [
            p
            for p in req.products or ()
            if p.vehicle and normalize(p.vehicle) in k.refused_vehicles
        ]
        if not bad:
            return
        base = [{"product": p.name} for p in bad]
    if when.no_products and req.products:
        return
    if when.allergy_class is not None:
        allergies = req.facts.get("allergies", UNSET)
        if allergies is UNSET:
            unanswered.setdefault("allergies", []).extend(rule.sources)
            return
        wanted = frozenset(when.allergy_class)
        named = [a for a in allergies if _allergen(k, a).classes & wanted]
        if not named:
            return
        base = [{**b, "allergy": a} for b in base for a in named]
    if when.device_unrecognised:
        if not req.unknown:
            return
        base = [{**b, "device": d} for b in base for d in req.unknown]
    if when.allergy_match:
        allergies = req.facts.get("allergies", UNSET)
        if allergies is UNSET:
            unanswered.setdefault("allergies", []).extend(rule.sources)
            return
        matches = []
        for product in req.products or ():
            for name in product.ingredients:
                ing = _identify(k, name)
                matches.extend(
                    {"allergy": allergy, "product": product.name, "substance": name}
                    for allergy in allergies
                    if _allergy_matches(k, allergy, ing)
                )
        if not matches:
            return
        base = matches
    if when.age_below is not None:
        birth = req.facts.get("birth_date", UNSET)
        if birth is UNSET or birth is None:
            unanswered.setdefault("birth_date", []).extend(rule.sources)
            return
        age = _age(birth, req.date)
        if age >= when.age_below:
            return
        base = [{**b, "age": age} for b in base]
    if when.fact is not None:
        value = req.facts.get(when.fact, UNSET)
        if value is UNSET:
            unanswered.setdefault(when.fact, []).extend(rule.sources)
            return
        if when.equals is not None:
            if value is not when.equals:
                return
        elif when.in_ is not None:
            if value not in when.in_:
                return
        elif when.window is not None:
            window = _window(k, when, req, value) if value is not None else None
            if window is None:
                return
            base = [{**b, **window} for b in base]
        else:  # within_days (checked at load: the only other test)
            if value is None:
                return
            until = value + dt.timedelta(days=when.within_days)
            if req.date >= until:
                return
            base = [{**b, "date": value.isoformat(), "days": when.within_days} for b in base]
        label = text(k.facts[when.fact].label, req.lang).lower()
        base = [{**b, "fact": label} for b in base]
    for params in base:
        if until is not None:
            params = {**params, "until": until.isoformat()}
        yield params, until


def _facts_of(k: Knowledge, when: When, req: _Request) -> tuple[str, ...]:
    out = []
    if when.fact:
        out.append(when.fact)
        if when.fact in req.named:
            out.extend(_device_facts(k))
    if when.age_below is not None:
        out.append("birth_date")
    if when.allergy_match or when.allergy_class is not None:
        out.append("allergies")
    if when.device_unrecognised:
        out.extend(_device_facts(k))
    return tuple(out)


@lru_cache(maxsize=16)
def _device_facts(k: Knowledge) -> tuple[str, ...]:
    return tuple(f.id for f in k.facts.values() if f.type == "devices")


def _devices(k: Knowledge, facts: dict[str, Any]) -> tuple[dict[str, list[str]], list[str]]:
    """Implanted devices named in the answers: (bool fact id -> the recognised names that
    answer it yes, the names the knowledge does not recognise)."""
    named: dict[str, list[str]] = {}
    unknown: list[str] = []
    for fid in _device_facts(k):
        for name in facts.get(fid) or ():
            if device_of(k, name) is not None:
                named.setdefault(k.facts[fid].implies, []).append(name)
            elif _words(name):
                unknown.append(name)
    return named, unknown


def rules_for(k: Knowledge, protocol_id: str) -> list[Rule]:
    p = k.protocols[protocol_id]
    return (
        [k.rules[r] for r in p.contraindications]
        + list(p.own_rules)
        + [k.rules[r] for r in p.ingredient_rules]
    )


@lru_cache(maxsize=256)
def _compiled(k: Knowledge, protocol_id: str, lang: str) -> tuple:
    """(rule, its conditions, its reason in `lang`, its sources) for every rule of a protocol."""
    return tuple(
        (
            rule,
            (rule.when,) if rule.when is not None else tuple(rule.any),
            text(rule.reason, lang),
            tuple(rule.sources),
        )
        for rule in rules_for(k, protocol_id)
    )


@lru_cache(maxsize=16)
def _fact_order(k: Knowledge) -> dict[str, int]:
    return {fid: i for i, fid in enumerate(k.facts)}


def screen(
    k: Knowledge,
    protocol: str,
    date: dt.date,
    facts: dict[str, Any],
    products: list[Product] | None = None,
    last_sessions: dict[str, dt.date] | None = None,
    lang: str = "en",
) -> Screening:
    """Screen answered `facts` (absent key = unanswered) for `protocol` on `date`."""
    protocol_of(k, protocol)
    birth = facts.get("birth_date")
    if isinstance(birth, dt.date) and birth > date:
        raise InputError("patient.birth_date", "is after the screening date")
    named, unknown = _devices(k, facts)
    facts = {**facts, **dict.fromkeys(named, True)}  # a recognised device answers yes
    req = _Request(protocol, date, facts, products, last_sessions or {}, lang, named, unknown)
    unanswered: dict[str, list[str]] = {}
    findings: list[Finding] = []
    for rule, whens, reason, sources in _compiled(k, protocol, lang):
        seen = set()
        for when in whens:
            for params, until in _evaluate(k, when, req, unanswered, rule):
                message = reason.format_map(SafeFormat(params))
                if when.fact in named:
                    names = ", ".join(named[when.fact])
                    message += " " + text(k.messages.texts["named"], lang).format(names=names)
                if message in seen:
                    continue
                seen.add(message)
                findings.append(
                    Finding(
                        rule.id, rule.decision, message, sources, until, _facts_of(k, when, req)
                    )
                )
    if unanswered:
        texts = k.messages.texts
        order = _fact_order(k)
        for fact_id in sorted(unanswered, key=order.__getitem__):  # intake order
            fact = k.facts[fact_id]
            q = text(fact.question, lang)
            sources = tuple(dict.fromkeys(unanswered[fact_id]))
            # a timing question left out does not change the decision, but is named
            prefix, decision, key = (
                ("not-asked", "eligible", "not_asked")
                if fact.optional
                else ("unanswered", "review", "unanswered")
            )
            findings.append(
                Finding(
                    f"{prefix}-{fact_id}",
                    decision,
                    text(texts[key], lang).format(question=q),
                    sources,
                    None,
                    (fact_id,),
                )
            )
    findings.sort(key=lambda f: -RANK[f.decision])  # most restrictive first; stable
    decision = max((f.decision for f in findings), key=RANK.__getitem__, default="eligible")
    deferrals = [f for f in findings if f.decision == "defer"]
    defer_until = None
    if deferrals and all(f.defer_until for f in deferrals):
        defer_until = max(f.defer_until for f in deferrals)
    return Screening(protocol, date, decision, defer_until, tuple(findings), k.version)


def screen_request(k: Knowledge, data: bytes | str | dict, lang: str = "en") -> Screening:
    """Screen one request in the shape of the contract (JSON text or a parsed mapping)."""
    req = parse(data, screen_type(k))
    protocol_of(k, req.protocol)
    for cls in req.last_sessions:
        if cls not in k.classes:
            raise InputError(
                f"last_sessions.{cls}", f"unknown ingredient class (one of {', '.join(k.classes)})"
            )
    facts = {f: getattr(req.patient, f) for f in k.facts}
    facts = {f: v for f, v in facts.items() if v is not UNSET}
    return screen(k, req.protocol, req.date, facts, req.products, req.last_sessions, lang)


def ingredient_classes(k: Knowledge, names: list[str]) -> frozenset[str]:
    """The ingredient classes (e.g. lipolytic) that a list of ingredient names contains."""
    return frozenset(c for name in names for c in _identify(k, name).classes)


def allergy_names(k: Knowledge, allergy: str) -> tuple[frozenset[str], frozenset[str]]:
    """(substance ids, class ids) that a patient's allergy names, through synonyms, brand
    names, classes and one-typo spellings; both empty when the knowledge does not know it."""
    a = _allergen(k, allergy)
    return a.substances, a.classes
