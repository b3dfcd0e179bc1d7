"""The knowledge files' cross-checks, run by the loader (knowledge.py): every text has
English, every source is known, ranges are ordered, rules and protocols name facts,
classes and instructions that exist. A broken file fails loudly, naming file and field."""

from typing import Any

from .schema import Fact, KnowledgeError, Protocol, Rule, Source, When


def _walk(node: Any, path: str):
    """Yield (path, key, value) for every mapping entry in a parsed YAML tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield path, key, value
            yield from _walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{path}[{i}]")


def _check_texts(raw: Any, rel: str) -> None:
    for path, key, value in _walk(raw, "$"):
        texty = key in ("text", "label", "question", "reason", "title", "name", "description")
        if texty and isinstance(value, dict) and "en" not in value:
            raise KnowledgeError(f"{rel}: text without English at {path}.{key}")


def _check_sources(raw: Any, rel: str, known: dict[str, Source]) -> None:
    for path, key, value in _walk(raw, "$"):
        if key == "sources" and isinstance(value, list):
            if not value and rel != "sources.yaml":
                raise KnowledgeError(f"{rel}: empty sources at {path}.sources")
            for i, sid in enumerate(value):
                if isinstance(sid, str) and sid not in known:
                    raise KnowledgeError(f"{rel}: unknown source {sid!r} at {path}.sources[{i}]")


def _range(rel: str, where: str, lo: float, hi: float, default: float | None = None) -> None:
    if lo > hi or (default is not None and not lo <= default <= hi):
        raise KnowledgeError(f"{rel}: {where} must satisfy min <= default <= max")


def _check_when(when: When, rel: str, where: str, k: dict[str, Any]) -> None:
    facts, classes = k["facts"], k["classes"]
    if when.fact is not None:
        fact = facts.get(when.fact)
        if fact is None:
            raise KnowledgeError(f"{rel}: unknown fact {when.fact!r} at {where}.fact")
        tests = [
            when.equals is not None,
            when.in_ is not None,
            when.within_days is not None,
            when.window is not None,
        ]
        if sum(tests) != 1:
            raise KnowledgeError(
                f"{rel}: {where} needs exactly one of equals, in, within_days, window"
            )
        wanted = {0: "bool", 1: "enum", 2: "date_or_null", 3: "date_or_null"}[tests.index(True)]
        if fact.type != wanted:
            raise KnowledgeError(
                f"{rel}: fact {when.fact!r} is {fact.type}, not {wanted}, at {where}"
            )
        for value in when.in_ or ():
            if value not in fact.values:
                raise KnowledgeError(
                    f"{rel}: {value!r} is not a value of {when.fact!r} at {where}.in"
                )
    elif (
        when.equals is not None
        or when.in_ is not None
        or when.within_days is not None
        or when.window is not None
    ):
        raise KnowledgeError(f"{rel}: {where} tests a value but names no fact")
    if when.window is not None:
        w = when.window
        if w.before is None and w.after is None:
            raise KnowledgeError(f"{rel}: {where}.window needs before, after or both")
        for side, kind in (("before", "pre"), ("after", "after")):
            item = getattr(w, side)
            ins = k["instructions"].get(item) if item is not None else None
            if item is not None and (ins is None or ins.kind != kind):
                raise KnowledgeError(
                    f"{rel}: unknown {kind} instruction {item!r} at {where}.window.{side}"
                )
    for cls in when.allergy_class or ():
        if cls not in classes:
            raise KnowledgeError(
                f"{rel}: unknown ingredient class {cls!r} at {where}.allergy_class"
            )
    if when.ingredient_class is not None and when.ingredient_class not in classes:
        raise KnowledgeError(
            f"{rel}: unknown ingredient class {when.ingredient_class!r} at {where}"
        )
    if when.recent_class_session_days is not None and when.ingredient_class is None:
        raise KnowledgeError(f"{rel}: {where}.recent_class_session_days needs ingredient_class")
    if when == When():
        raise KnowledgeError(f"{rel}: {where} is empty")


def _check_facts(facts: dict[str, Fact]) -> None:
    for fact in facts.values():
        where = f"facts.yaml: fact {fact.id!r}"
        if (fact.type == "devices") != (fact.implies is not None):
            raise KnowledgeError(f"{where}: a devices fact, and only it, names the bool it implies")
        target = facts.get(fact.implies) if fact.implies is not None else None
        if fact.implies is not None and (target is None or target.type != "bool"):
            raise KnowledgeError(f"{where}: implies {fact.implies!r}, which is not a bool fact")
        if fact.ahead and fact.type != "date_or_null":
            raise KnowledgeError(f"{where}: ahead is for date_or_null facts")
        if fact.optional and fact.type not in ("date", "date_or_null"):
            raise KnowledgeError(f"{where}: only timing (date) facts may be optional")


def _check_rule(rule: Rule, rel: str, where: str, k: dict[str, Any]) -> None:
    if (rule.when is None) == (rule.any is None):
        raise KnowledgeError(f"{rel}: rule {rule.id!r} needs exactly one of when, any")
    whens = [rule.when] if rule.when is not None else rule.any
    for i, when in enumerate(whens):
        _check_when(when, rel, f"{where}.{'when' if rule.when else f'any[{i}]'}", k)


def _check_protocol(p: Protocol, rel: str, k: dict[str, Any]) -> None:
    if f"protocols/{p.id}.yaml" != rel:
        raise KnowledgeError(f"{rel}: id {p.id!r} does not match the file name")
    s = p.series
    _range(rel, "series.sessions", s.sessions.min, s.sessions.max, s.sessions.default)
    _range(
        rel,
        "series.interval_days",
        s.interval_days.min,
        s.interval_days.max,
        s.interval_days.default,
    )
    m = p.maintenance.every_days
    _range(rel, "maintenance.every_days", m.min, m.max, m.default)
    if p.anaesthetic_cream:
        lead = p.anaesthetic_cream.lead_minutes
        _range(rel, "anaesthetic_cream.lead_minutes", lead.min, lead.max, lead.default)
    spans = [
        (f"expected_reactions[{i}].minutes", r.minutes) for i, r in enumerate(p.expected_reactions)
    ]
    alternatives = [("series", s.alternatives)]
    alternatives += [(f"pre_treatment[{i}]", r.alternatives) for i, r in enumerate(p.pre_treatment)]
    alternatives += [(f"aftercare[{i}]", r.alternatives) for i, r in enumerate(p.aftercare)]
    spans += [
        (f"{where}.alternatives[{i}].{name}", getattr(alt, name))
        for where, alts in alternatives
        for i, alt in enumerate(alts)
        for name in ("sessions", "interval_days", "hours")
    ]
    for where, span in spans:
        if span is not None:
            _range(rel, where, span.min, span.max)
    for t in p.techniques:
        if t not in k["techniques"]:
            raise KnowledgeError(f"{rel}: unknown technique {t!r} at $.techniques")
    zone_ids = set()
    for i, z in enumerate(p.zones):
        _range(rel, f"zones[{i}].depth_mm", z.depth_mm.min, z.depth_mm.max)
        for t in z.techniques:
            if t not in p.techniques:
                raise KnowledgeError(
                    f"{rel}: technique {t!r} of zone {z.id!r} is not in $.techniques"
                )
        zone_ids.add(z.id)
    for i, st in enumerate(p.stages):
        if st.number != i + 1:
            raise KnowledgeError(
                f"{rel}: stages must be numbered 1, 2, 3... at $.stages[{i}].number"
            )
        for z in st.zones:
            if z not in zone_ids:
                raise KnowledgeError(f"{rel}: unknown zone {z!r} at $.stages[{i}].zones")
        for t in st.techniques:
            if t not in p.techniques:
                raise KnowledgeError(
                    f"{rel}: technique {t!r} at $.stages[{i}] is not in $.techniques"
                )
    for field, kind in (("pre_treatment", "pre"), ("aftercare", "after")):
        for i, ref in enumerate(getattr(p, field)):
            ins = k["instructions"].get(ref.item)
            if ins is None or ins.kind != kind:
                raise KnowledgeError(
                    f"{rel}: unknown {kind} instruction {ref.item!r} at $.{field}[{i}].item"
                )
            needs_hours = "{duration}" in (ref.text or ins.text)["en"]
            if needs_hours != (ref.hours is not None):
                raise KnowledgeError(
                    f"{rel}: $.{field}[{i}] ({ref.item}) hours must be given exactly when the text has {{duration}}"
                )
    for field in ("contraindications", "ingredient_rules"):
        for i, rid in enumerate(getattr(p, field)):
            if rid not in k["rules"]:
                raise KnowledgeError(f"{rel}: unknown rule {rid!r} at $.{field}[{i}]")
    for i, rule in enumerate(p.own_rules):
        if rule.id in k["rules"]:
            raise KnowledgeError(f"{rel}: own rule {rule.id!r} reuses a rules.yaml id")
        _check_rule(rule, rel, f"$.own_rules[{i}]", k)
    if p.checkins.days != sorted(set(p.checkins.days)) or p.checkins.days[0] < 1:
        raise KnowledgeError(
            f"{rel}: $.checkins.days must be increasing whole days after the session"
        )
