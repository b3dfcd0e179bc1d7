"""Triage of a side effect a patient reports after a session.

The most urgent matching rule decides the level; a reaction that is usual for the
protocol and within its usual duration is `expected`. Anything above expected
notifies the clinic.
"""

from typing import Any

import msgspec

from .aftercare import duration
from .inputs import InputError, TriageInput, parse, protocol_of
from .knowledge import Knowledge, SafeFormat, text
from .schema import LEVELS, TriageRule

RANK = {level: i for i, level in enumerate(LEVELS)}


def _matches(
    rule: TriageRule, inp: TriageInput, ctx: dict[str, Any]
) -> list[dict[str, str]] | None:
    """The reason parameters for each way the rule holds, or None."""
    w = rule.when
    if w.fever is not None and inp.fever is not w.fever:
        return None
    if w.severity_in is not None and inp.severity not in w.severity_in:
        return None
    if w.min_hours is not None and inp.hours_since_session < w.min_hours:
        return None
    if w.symptoms_any is not None and not set(w.symptoms_any) & ctx["symptoms"]:
        return None
    if w.expected_exceeded:
        return ctx["exceeded"] or None
    if w.unexpected:
        unexpected = ctx["symptoms"] - ctx["expected"] - ctx["covered"]
        return [{"symptom": ctx["label"][s]} for s in sorted(unexpected)] or None
    return [{}]


def triage(k: Knowledge, inp: TriageInput, lang: str = "en") -> dict[str, Any]:
    p = protocol_of(k, inp.protocol)
    hours = inp.hours_since_session
    if not hours >= 0:  # also refuses NaN
        raise InputError("hours_since_session", "must be a number of hours, 0 or more")
    # A warning sign written in the notes counts as its symptom (or a fever) ticked.
    found = k.signs.detector.detect(inp.notes, after_session=True) if inp.notes else []
    if found:
        inp = msgspec.structs.replace(
            inp,
            symptoms=sorted(set(inp.symptoms) | {h.symptom for h in found if h.symptom}),
            fever=inp.fever or any(h.fever for h in found),
        )
    symptoms = set(inp.symptoms)
    expected = {r.symptom: r for r in p.expected_reactions}
    label = {s: text(k.messages.symptoms[s], lang) for s in symptoms}
    exceeded = [
        {"symptom": label[s], "usual": duration(k, expected[s].usual_hours, lang)}
        for s in sorted(symptoms & expected.keys())
        if hours > expected[s].usual_hours
    ]
    ctx = {
        "symptoms": symptoms,
        "expected": expected.keys(),
        "covered": set(),  # symptoms already explained by a matched rule
        "label": label,
        "exceeded": exceeded,
    }
    matched: list[str] = []
    reasons: list[tuple[int, str]] = []
    sources: list[str] = []
    level = "expected"
    # rules about symptoms no other rule explains run last
    for rule in sorted(k.triage.rules, key=lambda r: bool(r.when.unexpected)):
        if rule.protocols is not None and p.id not in rule.protocols:
            continue
        hits = _matches(rule, inp, ctx)
        if hits is None:
            continue
        matched.append(rule.id)
        ctx["covered"] |= set(rule.when.symptoms_any or ()) & symptoms
        if RANK[rule.level] > RANK[level]:
            level = rule.level
        reason = text(rule.reason, lang)
        reasons.extend((RANK[rule.level], reason.format_map(SafeFormat(h))) for h in hits)
        sources.extend(rule.sources)
    said = k.signs.said
    for h in found:
        part = k.signs.parts[h.sign, h.part]
        reasons.append(
            (RANK[h.level], text(said, lang).format(words=h.words, part=text(part.name, lang)))
        )
    if not matched:
        for s in sorted(symptoms):
            reasons.append((0, text(expected[s].text, lang)))
            sources.extend(expected[s].sources)
    sources = list(dict.fromkeys(sources))
    return {
        "level": level,
        "advice": text(k.triage.advice[level], lang),
        "notify_clinic": level != "expected",
        # most urgent first
        "reasons": list(dict.fromkeys(r for _, r in sorted(reasons, key=lambda x: -x[0]))),
        "sources": k.cite(sources),
        "source_ids": sources,
        "rules": matched,
        "signs": [h.as_dict() for h in found],
        "protocol": p.id,
        "knowledge_version": k.version,
    }


def triage_request(k: Knowledge, data: bytes | str | dict, lang: str = "en") -> dict[str, Any]:
    return triage(k, parse(data, TriageInput), lang)
