"""`ask`: answer one question (../shared/contracts/cli.md, `mesoclinic ask`).

The order is fixed: (1) a warning sign described in the message (the engine's one
detector, engine/signs.py) gets `urgent` with what to do now, before anything else, and the
sign's level; (2) the message is split into its questions (at most three, guard.py), and
each is decided on its own: a dose, an uncovered medicine, an implanted device or doing it
oneself is decided by guard.py; (3) a question outside the knowledge base gets `refuse`: one
that names no domain term (domain.py: matched strictly, so an everyday word that merely
starts like an article word does not count), one with a cue for something else (another
procedure, an everyday topic), or one whose best section scores below MIN_SCORE or whose
words the index mostly does not know; (3) otherwise the best article section answers, with
its numbers filled from the knowledge base for the asker's protocol and day, and its sources.
"""

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..inputs import InputError
from ..knowledge import Knowledge, load, text
from ..signs import action
from .articles import DEFAULT_PROTOCOL, Articles, Section, hours_text, load_articles, render
from .coverage import FOREIGN_MAX, Coverage, curated, known_texts
from .days import day_in
from .domain import Gate, strict_lexicon
from .guard import Guard, split
from .index import Index
from .lexicon import Lexicon
from .ranking import rank
from .text import LANGS, detect_language, tokens

KINDS = ("answer", "refuse", "urgent")
OFF_FACE = frozenset({"hands", "body", "scalp"})  # protocol regions away from the face
EXACT = frozenset({"cost", "insurance"})  # a topic answered only for the treatment itself
GUARD_SECTIONS = {"device": "candidates/devices", "selftreat": "safety/self-treatment"}
MAX_CHARS = 1000
MIN_SCORE = 3.0  # BM25 score below which no section answers (set on the dev questions)
MIN_COVERAGE = 0.34  # share of the question's words the knowledge base must know


@dataclass(frozen=True, slots=True, eq=False)
class Engine:
    k: Knowledge
    articles: Articles
    guard: Guard
    concepts: Lexicon
    protocols: Lexicon
    offtopic: dict[str | None, Lexicon]  # per language; None: either language's endings
    gates: dict[str | None, Gate]
    markers: dict[str, frozenset[str]]
    indexes: dict[str, Index]
    fillers: frozenset[str]
    coverage: Coverage
    session_words: Lexicon
    kinds: Lexicon  # every concept, matched strictly ("açılır" is not "acil")

    @classmethod
    def build(cls, k: Knowledge, articles: Articles) -> "Engine":
        extra = articles.extra
        stop = {lang: frozenset(extra["stopwords"][lang]) for lang in LANGS}
        vocab = {  # the articles' words, per language
            lang: frozenset(
                w
                for sec in articles.sections.values()
                for part in (sec.body[lang], sec.title[lang], *sec.ask.get(lang, []))
                for w in tokens(part)
            )
            for lang in LANGS
        }
        known = vocab["en"] | vocab["tr"]
        concepts = Lexicon(extra["concepts"]).know(known)
        indexes = {}
        for lang in LANGS:
            docs = {}
            for key, sec in articles.sections.items():
                if key == GUARD_SECTIONS["selftreat"]:
                    continue  # reached only through the guard, never by shared words
                art = articles.articles[key.split("/")[0]]
                body = render(k, extra, sec.body[lang], lang, sec.protocol)[0]
                parts = [
                    (2.0, text(sec.title, lang), True),
                    (1.0, body, False),
                    (0.5, text(art.title, lang), False),
                ]
                parts += [(2.0, phrase, True) for phrase in sec.ask.get(lang, [])]
                docs[key] = parts
            indexes[lang] = Index(
                docs, concepts, lang, stop[lang], weights=extra["concept_weights"]
            )
        # the implanted devices screening knows (devices.yaml), by every name in both languages
        devices = [n for d in k.devices.values() for names in d.names.values() for n in names]
        protocols = Lexicon(extra["protocols"]).know(known)
        gates = {lang: Gate.build(extra, vocab, lang) for lang in (*LANGS, None)}
        return cls(
            k,
            articles,
            Guard.build(extra, vocab, devices),
            concepts,
            protocols,
            {lang: strict_lexicon(extra["offtopic"], vocab, lang) for lang in (*LANGS, None)},
            gates,
            stop,
            indexes,
            frozenset(extra["fillers"]),
            Coverage.build(
                known_texts(articles, k.signs.by_id.values()),
                (gates[None].terms, curated(extra, vocab)),
            ),
            strict_lexicon({"session": extra["session_words"]}, vocab, None),
            strict_lexicon(extra["concepts"], vocab, None, frozenset(extra["domain"]["verbs"])),
        )

    def language(self, question: str) -> str:
        vocab = {lang: frozenset(self.indexes[lang].idf) for lang in LANGS}
        return detect_language(question, self.markers, vocab)

    def words(self, question: str) -> list[str]:
        return [w for w in tokens(question) if w not in self.fillers]

    def mentioned_protocol(self, words: list[str]) -> str | None:
        found = self.protocols.find(words)
        specific = sorted(found - {DEFAULT_PROTOCOL}, key=lambda p: list(self.k.protocols).index(p))
        # spots on the hands: the hands' treatment (a facial one is not given there)
        elsewhere = [p for p in specific if self.k.protocols[p].region in OFF_FACE]
        if elsewhere and len(elsewhere) < len(specific):
            specific = elsewhere
        return specific[0] if specific else (DEFAULT_PROTOCOL if found else None)

    def domain_terms(self, words: list[str], lang: str | None = None) -> set[str]:
        """Where the question's domain terms come from ("concept:sun", "protocol:hair",
        "domain"); none: the question is outside what the articles are about."""
        return self.gates[lang].find(words, lang)

    def foreign(self, words: list[str]) -> list[str]:
        """The question's words the knowledge base does not know (coverage.py)."""
        return self.coverage.foreign(words)

    def elsewhere(self, words: list[str], lang: str) -> bool:
        """About something the knowledge base does not hold: FOREIGN_MAX foreign words, or
        one beside a single piece of domain evidence ("psikolog seansı") or in a question
        about the price ("a gym membership"), which the articles give for the treatment only."""
        foreign = self.foreign(words)
        if not foreign:
            return self.other_session(words, foreign, lang)
        if self.other_session(words, foreign, lang):
            return True
        labels = {t.split(":")[-1] for t in self.domain_terms(words, lang)}  # prp once, not twice
        if labels & EXACT:  # the price of what? of the treatment only
            return True
        return len(foreign) >= FOREIGN_MAX or len(labels) <= 1

    def other_session(self, words: list[str], foreign: list[str], lang: str) -> bool:
        """A session of something else: a session word right after an everyday activity or a
        foreign word ("yoga session", "psikolog seansı"), with no mesotherapy word and no
        timing around one ("a gym session the day after" is about aftercare)."""
        gate = self.gates[None].terms
        for i, (before, word) in enumerate(zip(words, words[1:], strict=False)):
            if self.session_words.find([word]) and (
                before in foreign or gate.find([before]) & self.gates[None].activities
            ):
                # a timing word right around "massage session" ("after a massage session",
                # "masaj seansından sonra") times that session, not one of mesotherapy
                rest = words[: max(i - 2, 0)] + words[i + 3 :]
                return not ({"meso", "timing"} & self.offtopic[lang].find(rest))
        return False

    def is_offtopic(self, words: list[str], lang: str | None = None, alone: bool = False) -> bool:
        """Outside the knowledge base: no domain term, or a cue for something else (another
        procedure not timed around mesotherapy, an everyday topic) without mesotherapy. A
        message that is one question with no domain term but every word known to the
        knowledge base, a lay-word concept (if only what kind of question: "after", "what
        is"), no cue for something else and nothing to recommend, is a question
        put to the clinic about "it", the treatment ("can I have it in summer?"); a follow-up
        question of a longer message is not read so ("is there wifi in the waiting room?")."""
        found = self.offtopic[lang].find(words)
        if "vaccine" in found:
            return True
        if not self.domain_terms(words, lang):
            return (
                not alone
                or bool(self.foreign(words))
                or bool(found - {"meso", "timing"})
                or "recommend" in self.guard.lexicon.find(words)
                or not self.kinds.find(words)  # what kind of question, at least
            )
        if "unrelated" in found:  # unless about mesotherapy or a medicine the knowledge
            # covers ("aspirin for headaches": how long before a session to stop it)
            return not ({"meso"} & found or self.concepts.find(words) & self.guard.covered)
        return "procedures" in found and not ({"meso", "timing"} & found)


@lru_cache(maxsize=8)
def engine_for(k: Knowledge, articles: Articles) -> Engine:
    return Engine.build(k, articles)


def _check(question: Any, lang: Any, protocol: Any, day: Any, k: Knowledge) -> str:
    if not isinstance(question, str) or not question.strip():
        raise InputError("question", "must be a non-empty text")
    if len(question) > MAX_CHARS:
        raise InputError("question", f"must be at most {MAX_CHARS} characters")
    if lang is not None and lang not in LANGS:
        raise InputError("lang", f"must be one of {', '.join(LANGS)}, not {lang!r}")
    if protocol is not None and protocol not in k.protocols:
        raise InputError("protocol", f"unknown protocol {protocol!r} (see `mesoclinic protocols`)")
    if day is not None and (isinstance(day, bool) or not isinstance(day, int) or day < 0):
        raise InputError("aftercare_day", "must be a whole number of days, 0 or more")
    return question.strip()


def _personal(e: Engine, sec: Section, protocol: str, day: int, lang: str) -> str | None:
    """One sentence on where the asker stands on their aftercare clock, if it applies."""
    p = e.k.protocols[protocol]
    hours = {r.item: r.hours for r in p.aftercare if r.hours is not None}
    usual = {r.symptom: r.usual_hours for r in p.expected_reactions}
    t = e.articles.extra["texts"]
    elapsed = day * 24
    when = text(t["day_0"] if day == 0 else t["day_n"], lang).format(day=day)
    fill = {"when": when, "when_tr": when[:1].upper() + when[1:]}
    if sec.item in hours:
        limit = hours[sec.item]
        key = "rule_over" if elapsed >= limit else "rule_left"
        left = hours_text(e.k, e.articles.extra, max(limit - elapsed, 1), lang)
        fill.update(duration=hours_text(e.k, e.articles.extra, limit, lang), left=left)
    elif sec.item in usual:
        limit = usual[sec.item]
        key = "usual_within" if elapsed <= limit else "usual_over"
        fill["duration"] = hours_text(e.k, e.articles.extra, limit, lang)
    else:
        return None
    return text(t[key], lang).format(**fill)


def _compose(
    e: Engine, key: str, lang: str, protocol: str | None, day: int | None, overrides: dict
) -> dict[str, Any]:
    sec = e.articles.sections[key]
    body = (overrides.get(key) or {}).get(lang) or sec.body[lang]
    used = protocol or sec.protocol or DEFAULT_PROTOCOL
    extra = e.articles.extra
    parts = []
    try:
        answer, facts, fact_sources = render(e.k, extra, body, lang, used)
    except KeyError:  # the asker's protocol has no such item: say so, then the default
        fallback = sec.protocol or DEFAULT_PROTOCOL
        answer, facts, fact_sources = render(e.k, extra, body, lang, fallback)
        parts.append(
            text(extra["texts"]["not_in_protocol"], lang).format(
                protocol=text(e.k.protocols[used].title, lang),
                fallback=text(e.k.protocols[fallback].title, lang),
            )
        )
        used = fallback
    if day is not None:
        personal = _personal(e, sec, used, day, lang)
        if personal:
            parts.insert(0, personal)
    cites = list(dict.fromkeys([*sec.sources, *fact_sources]))
    article, section = key.split("/")
    return {
        "answer": " ".join([*parts, answer]),
        "sources": [{"article": article, "section": section, "cites": e.k.cite(cites)}],
        "source_ids": cites,
        "section": key,
        "protocol": used,
        "facts": facts,
    }


def ask(
    question: str,
    lang: str | None = None,
    protocol: str | None = None,
    aftercare_day: int | None = None,
    *,
    k: Knowledge | None = None,
    articles: Articles | None = None,
    overrides: dict[str, dict[str, str]] | None = None,
) -> dict[str, Any]:
    """Answer `question`. `protocol` and `aftercare_day` personalise it (the portal knows
    them); `overrides` maps "article/section" to a clinic's approved {lang: body} texts."""
    k = k or load()
    question = _check(question, lang, protocol, aftercare_day, k)
    articles = articles or load_articles(k)
    e = engine_for(k, articles)
    asked_in = e.language(question)  # the words are read in their own language
    lang = lang or asked_in  # the answer is given in the one asked for
    day = aftercare_day if aftercare_day is not None else day_in(question)
    hits = k.signs.detector.detect(question)
    pieces = _elliptic(e, split(question, lambda p: bool(k.signs.detector.detect(p))), asked_in)
    if not pieces:  # only punctuation or symbols ("?"): nothing to answer (issue 15 fuzzing)
        raise InputError("question", "has no words in it")
    parts = [
        _part(
            e,
            piece,
            lang,
            asked_in,
            protocol,
            day,
            overrides or {},
            hits if len(pieces) == 1 else None,
            _topic(e, pieces[i - 1], piece, asked_in) if i else [],
            len(pieces) == 1,
        )
        for i, piece in enumerate(pieces)
    ]
    out: dict[str, Any] = {"kind": "answer", "lang": lang}
    if hits:
        out.update(_urgent(e, hits, lang))
    elif len(parts) == 1:
        out.update({key: v for key, v in parts[0].items() if key != "text"})
    else:
        out.update(_combined(e, parts, lang))
    out.update(
        parts=[{key: p[key] for key in PART_KEYS if key in p} for p in parts],
        aftercare_day=day,
        knowledge_version=k.version,
        articles_version=articles.version,
    )
    return out


PART_KEYS = ("text", "kind", "level", "answer", "sources", "section")
ELLIPTIC = 3  # words: a short follow-up with no topic of its own ("what is it, what does it do")


def _elliptic(e: Engine, pieces: list[str], lang: str) -> list[str]:
    """A short question with no domain term of its own continues the one before it
    ("Mezoterapi nedir, ne işe yarar?" is one question)."""
    out: list[str] = []
    for piece in pieces:
        words = e.words(piece)
        if (
            out
            and len(words) <= ELLIPTIC
            and not e.domain_terms(words, lang)
            and not e.foreign(words)  # "otoparkınız var mı" asks about something else
        ):
            out[-1] = f"{out[-1]}, {piece}"
        else:
            out.append(piece)
    return out


PRONOUNS = frozenset(
    [
        "it",
        "its",
        "this",
        "that",
        "them",
        "they",
        "these",
        "those",
        "bu",
        "bunu",
        "buna",
        "bunun",
        "onu",
        "ona",
        "onun",
        "bunlar",
    ]
)


def _topic(e: Engine, before: str, piece: str, lang: str) -> list[str]:
    """A question that points back ("who should avoid it?"), names only the general
    domain words (session, treatment: "how long between sessions?") or only asks what kind
    of thing it wants ("how often do I come in?"), borrows the topic words
    of the question before it (protocols, lay-word concepts), for retrieval only."""
    words = e.words(piece)
    own = e.domain_terms(words, lang)
    if own - {"domain"} or not (own or PRONOUNS & set(words) or e.kinds.find(words)):
        return []  # a topic of its own, or nothing that points back or asks "how often"
    return [w for w in e.words(before) if e.domain_terms([w], lang) - {"domain"}]


def _urgent(e: Engine, hits: list, lang: str) -> dict[str, Any]:
    """What to do now (the advice of the most urgent sign's level), then why."""
    k = e.k
    level = hits[0].level
    signs = list(dict.fromkeys(h.sign for h in hits))
    reasons = [text(k.signs.by_id[s].reason, lang) for s in signs]
    cites = list(dict.fromkeys(src for s in signs for src in k.signs.by_id[s].sources))
    return {
        "kind": "urgent",
        "level": level,
        "answer": " ".join([action(k, level, lang), *reasons]),
        "sources": [
            {"article": "side-effects", "section": "warning-signs", "cites": k.cite(cites)}
        ],
        "source_ids": cites,
        "signs": [h.as_dict() for h in hits],
        "symptoms": sorted({h.symptom for h in hits if h.symptom}),
        "confidence": 1.0,
    }


def _combined(e: Engine, parts: list[dict], lang: str) -> dict[str, Any]:
    """Several questions: each answered, or named as not covered."""
    answered = [p for p in parts if p["kind"] == "answer"]
    lines: list[str] = []
    for p in parts:
        if p["kind"] != "answer":
            lines.append(
                text(e.articles.extra["texts"]["not_covered_part"], lang).format(part=p["text"])
            )
        elif p["answer"] not in lines:  # two questions answered by one section: once
            lines.append(p["answer"])
    sources = [s for p in answered for s in p["sources"]]
    first = answered[0] if answered else {}
    return {
        "kind": "answer" if answered else "refuse",
        "answer": " ".join(lines),
        "sources": [s for i, s in enumerate(sources) if s not in sources[:i]],
        "section": first.get("section"),
        "protocol": first.get("protocol"),
        "confidence": min(p["confidence"] for p in parts),
    }


def _refusal(e: Engine, key: str, lang: str, confidence: float = 0.0) -> dict[str, Any]:
    return {
        "kind": "refuse",
        "answer": text(e.articles.extra["texts"][key], lang),
        "sources": [],
        "confidence": confidence,
    }


def _part(
    e: Engine,
    piece: str,
    lang: str,
    asked_in: str,
    protocol: str | None,
    day: int | None,
    overrides: dict,
    hits: list | None = None,
    topic: list[str] = (),
    alone: bool = False,
) -> dict[str, Any]:
    """One question of the message, decided on its own (`hits`: its warning signs, when
    already read; `topic`: words borrowed from the question before, see _topic)."""
    out: dict[str, Any] = {"text": piece}
    hits = e.k.signs.detector.detect(piece) if hits is None else hits
    if hits:
        return {**out, **_urgent(e, hits, lang)}
    words = [*topic, *e.words(piece)]
    mentioned = e.mentioned_protocol(words)
    asked = mentioned or protocol
    foreign = e.foreign(words)
    decided = e.guard.check(words, e.concepts.find(words), e.guard.drugs(words, foreign), foreign)
    if decided in ("dose", "medicine"):
        return {**out, **_refusal(e, decided, lang)}
    if decided == "product":
        return {**out, **_refusal(e, "refuse", lang)}
    if decided in GUARD_SECTIONS:
        found = _compose(e, GUARD_SECTIONS[decided], lang, asked, day, overrides)
        return {**out, "kind": "answer", **found, "confidence": 1.0}
    best, score, q, second = (
        (None, 0.0, None, None)
        if e.is_offtopic(words, asked_in, alone) or e.elsewhere(words, asked_in)
        else rank(e.indexes[asked_in], e.articles.sections, words, asked, mentioned is not None)
    )
    schedule = f"sessions/{asked}"
    if (
        best is not None
        and "maintenance" in e.concepts.find(words)
        and schedule in e.articles.sections
    ):
        best, second = schedule, None  # when to come back: the treatment's own schedule
        score = max(score, MIN_SCORE)
    coverage = q.known / q.content if q and q.content else 0.0
    if best is None or score < MIN_SCORE or coverage < MIN_COVERAGE:
        return {**out, **_refusal(e, "refuse", lang, round(min(score / (2 * MIN_SCORE), 1.0), 2))}
    found = _compose(e, best, lang, asked, day, overrides)
    if second is not None:  # two sections answer it about as well: both, each cited
        also = _compose(e, second, lang, asked, day, overrides)
        found["answer"] = f"{found['answer']} {also['answer']}"
        found["sources"] += also["sources"]
        found["source_ids"] = list(dict.fromkeys([*found["source_ids"], *also["source_ids"]]))
        found["facts"] = [*found["facts"], *also["facts"]]
    confidence = round(min(score / (4 * MIN_SCORE), 1.0) * coverage, 2)
    return {**out, "kind": "answer", **found, "confidence": confidence}
