"""The warning-sign detector: which warning signs (knowledge/warning_signs.yaml) a free
text describes, in English or Turkish, with the words that raised each one.

One detector serves `ask`, triage notes, the portal's check-in and side-effect texts and
staff notes. It reads generously: a miss is worse than an alarm too many. Words are read
on their accent-free form; Turkish endings through the Snowball stemmer (PyStemmer) and a
table of noun endings; English endings by rule; typos one letter away; negation only over
the negated word ("no fever", "ateşim yok", "not hoarse"), never over another sign.
The pattern language is described at the top of warning_signs.yaml.
"""

from dataclasses import dataclass, field
from itertools import product

from .knowledge import Knowledge, normalize
from .schema import LEVELS, KnowledgeError, SignPart, WarningSign, WarningSigns
from .sign_words import (
    _NONE,
    STEM_TYPO_MIN,
    TYPO_MIN,
    Compiled,
    Hit,
    Pattern,
    Term,
    Token,
    distance1,
    english,
    parse_pattern,
    tokens,
    turkish,
)

LANGS = ("en", "tr")
RANK = {level: i for i, level in enumerate(LEVELS)}
SCOPE = 4  # words a negation reaches
COORDINATION = frozenset({"and", "or", "ve", "veya", "ile"})  # "lips and tongue normal"


class Reader:
    """One text's tokens, with the positions of every lexicon word worked out once."""

    def __init__(self, detector: "Detector", toks: list[Token]):
        self.d = detector
        self.tokens = toks
        found: dict[tuple[str, bool, str], set[int]] = {}
        for i, t in enumerate(toks):
            for key in detector.by_letter.get(t.word[0], ()):
                if detector.word(t, *key):
                    found.setdefault(key, set()).add(i)
        self.found = found

    def positions(self, word: str, star: bool, lang: str) -> set[int]:
        return self.found.get((word, star, lang), _NONE)

    def spans(self, group: tuple[Term, ...], lang: str) -> list[range]:
        out = []
        for term in group:
            for i in self.positions(term.words[0], term.stars[0], lang):
                n = len(term.words)
                if all(
                    i + j < len(self.tokens)
                    and self.tokens[i + j].clause == self.tokens[i].clause
                    and i + j in self.positions(term.words[j], term.stars[j], lang)
                    for j in range(1, n)
                ):
                    out.append(range(i, i + n))
        return out

    def negated(self, span: range, mine: set[int], kin: frozenset[int] = frozenset()) -> bool:
        """A negation word before the span (within SCOPE words, same clause, no break
        between) or after it, that is not itself part of the pattern's match; or a list of
        words of the span's own group joined by "and"/"or" right before a negation after
        it ("lips and tongue normal", "dudaklarım ve dilim normal"): `kin` are the
        positions of the group's words."""
        toks, d = self.tokens, self.d
        j = span.stop
        while j + 1 < len(toks) and toks[j].word in COORDINATION and j + 1 in kin:
            j += 2
            if j < len(toks) and toks[j].word in d.negate_after and j not in mine:
                return True
        clause = toks[span.start].clause
        for j in range(span.start - 1, max(span.start - SCOPE, 0) - 1, -1):
            if toks[j].clause != clause or toks[j].word in d.breaks:
                break
            if toks[j].word in d.negate_before and j not in mine:
                return True
        for j in range(span.stop, min(span.stop + SCOPE, len(toks))):
            if toks[j].clause != clause or toks[j].word in d.breaks:
                break
            if toks[j].word in d.negate_after and j not in mine:
                return True
        return False

    def match(self, pattern: Pattern) -> tuple[int, int] | None:
        """The first and last token of the tightest match of every group, or None."""
        found = []
        for group in pattern.groups:  # most patterns fail on their first group: stop there
            spans = self.spans(group, pattern.lang)
            if not spans:
                return None
            found.append(spans)
        mine = {i for spans in found for span in spans for i in span}
        kin = [frozenset(i for span in spans for i in span) for spans in found]
        live = [
            [s for s in spans if not self.negated(s, mine, kin[g])] for g, spans in enumerate(found)
        ]
        best = None
        toks = self.tokens
        for combo in product(*live):
            lo, hi = min(s.start for s in combo), max(s.stop for s in combo) - 1
            if (
                hi - lo < pattern.window
                and toks[lo].sentence == toks[hi].sentence
                and (best is None or hi - lo < best[1] - best[0])
            ):
                best = (lo, hi)
        return best

    def has(self, groups: list[tuple[Term, ...]]) -> bool:
        return any(self.spans(g, lang) for g in groups for lang in LANGS)


class Detector:
    """Compiled warning signs; `detect(text)` lists the signs a text describes."""

    def __init__(self, ws: WarningSigns):
        self.compiled: list[Compiled] = []
        for sign in ws.signs:
            for part in sign.parts:
                patterns = tuple(
                    parse_pattern(p, lang) for lang in LANGS for p in getattr(part, lang)
                )
                self.compiled.append(Compiled(sign, part, part.level or sign.level, patterns))

        def words(w) -> set[str]:
            return {normalize(x) for lang in LANGS for x in getattr(w, lang)}

        def phrases(w) -> list[tuple[Term, ...]]:
            return [parse_pattern(x, lang).groups[0] for lang in LANGS for x in getattr(w, lang)]

        self.negate_before = words(ws.negation.before)
        self.negate_after = words(ws.negation.after)
        self.breaks = words(ws.negation.breaks)
        self.ignore = phrases(ws.ignore)
        self.before, self.after = phrases(ws.cues.before), phrases(ws.cues.after)
        known = {
            w
            for c in self.compiled
            for pat in c.patterns
            for group in pat.groups
            for term in group
            for w in term.words
        }
        self.not_typos = frozenset(words(ws.not_typos) | known)  # a sign word is no typo
        keys = {
            (w, star, pat.lang)
            for c in self.compiled
            for pat in c.patterns
            for group in pat.groups
            for term in group
            for w, star in zip(term.words, term.stars, strict=True)
        }
        keys |= {
            (w, star, lang)
            for group in [*self.ignore, *self.before, *self.after]
            for term in group
            for w, star in zip(term.words, term.stars, strict=True)
            for lang in LANGS
        }
        self.by_letter: dict[str, list[tuple[str, bool, str]]] = {}
        for key in sorted(keys):
            self.by_letter.setdefault(key[0][0], []).append(key)
        self._word: dict[tuple[str, frozenset[str], str, bool, str], bool] = {}

    def know(self, words: set[str]) -> None:
        """Real words, never read as a typo of a sign word."""
        self.not_typos = self.not_typos | frozenset(words)
        self._word.clear()

    def word(self, token: Token, word: str, star: bool, lang: str) -> bool:
        key = (token.word, token.stems, word, star, lang)
        hit = self._word.get(key)
        if hit is None:
            hit = self._word_match(token, word, star, lang)
            if len(self._word) > 200_000:  # pragma: no cover - a bound, not a behaviour
                self._word.clear()
            self._word[key] = hit
        return hit

    def _word_match(self, token: Token, word: str, star: bool, lang: str) -> bool:
        t = token.word
        if t == word or (star and t.startswith(word)):
            return True
        if not star and (english(t, word) if lang == "en" else turkish(t, token.stems, word)):
            return True
        if len(word) < TYPO_MIN or len(t) < TYPO_MIN or t in self.not_typos:
            return False
        if star:  # a stem forgives a typo only from six letters: "titre*" is not "tired"
            return len(word) >= STEM_TYPO_MIN and any(
                distance1(t[:n], word) for n in (len(word) - 1, len(word), len(word) + 1)
            )
        return distance1(t, word)

    def detect(self, text: str, after_session: bool = False) -> list[Hit]:
        """The warning signs `text` describes, most urgent first, one hit per part.
        `after_session`: the text is known to come after a session (triage notes); else a
        part marked `after_session` (a fever) counts only if the text does not speak of an
        appointment to come, or also says it came after a session."""
        whole = Reader(self, tokens(text))
        drop = {i for g in self.ignore for lang in LANGS for s in whole.spans(g, lang) for i in s}
        reader = Reader(self, [t for i, t in enumerate(whole.tokens) if i not in drop])
        later = after_session or reader.has(self.after) or not reader.has(self.before)
        hits = []
        for c in self.compiled:
            if c.part.after_session and not later:
                continue
            for pattern in c.patterns:
                span = reader.match(pattern)
                if span is not None:
                    first, last = reader.tokens[span[0]], reader.tokens[span[1]]
                    hits.append(
                        Hit(
                            c.sign.id,
                            c.part.id,
                            c.level,
                            text[first.start : last.end],
                            None if c.part.fever else (c.part.symptom or c.sign.symptom),
                            c.part.fever,
                        )
                    )
                    break
        return sorted(hits, key=lambda h: -RANK[h.level])


@dataclass(frozen=True, slots=True, eq=False)
class Signs:
    """The warning signs of a knowledge set and their detector."""

    by_id: dict[str, WarningSign]
    parts: dict[tuple[str, str], SignPart]
    said: dict[str, str]  # a reason line that quotes the words
    detector: Detector = field(repr=False)


def build(ws: WarningSigns, rel: str = "warning_signs.yaml") -> Signs:
    """The warning signs, checked: unique ids, both languages, levels, wordings."""
    by_id: dict[str, WarningSign] = {}
    for i, sign in enumerate(ws.signs):
        where = f"{rel}: $.signs[{i}] ({sign.id})"
        if sign.id in by_id:
            raise KnowledgeError(f"{where}: duplicate id")
        by_id[sign.id] = sign
        if RANK[sign.level] < RANK["urgent"]:
            raise KnowledgeError(f"{where}: a warning sign is at least urgent")
        for name in ("name", "text", "reason"):
            if set(getattr(sign, name)) != set(LANGS):
                raise KnowledgeError(f"{where}.{name}: needs exactly en and tr")
        if not sign.parts:
            raise KnowledgeError(f"{where}: no parts")
        parts = set()
        for j, part in enumerate(sign.parts):
            pw = f"{where}.parts[{j}] ({part.id})"
            if part.id in parts:
                raise KnowledgeError(f"{pw}: duplicate id")
            parts.add(part.id)
            if not part.en or not part.tr:
                raise KnowledgeError(f"{pw}: needs English and Turkish wordings")
            level = part.level or sign.level
            if not RANK["urgent"] <= RANK[level] <= RANK[sign.level]:
                raise KnowledgeError(f"{pw}: level must be urgent or above, up to the sign's")
    parts = {(s.id, p.id): p for s in ws.signs for p in s.parts}
    return Signs(by_id, parts, ws.said, Detector(ws))


def _words(k: Knowledge) -> set[str]:
    """Every word of the knowledge base's own texts (both languages): real words."""
    import msgspec

    found: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in LANGS and isinstance(value, str):
                    found.update(t.word for t in tokens(value))
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for part in (k.protocols, k.instructions, k.messages, k.consent, k.triage, k.rules):
        walk(msgspec.to_builtins(part))
    return found


def verify(k: Knowledge, rel: str = "warning_signs.yaml") -> None:
    """Each sign and part gives, through triage, the level it names, on every protocol:
    ticking the symptom and writing the sign in the notes cannot disagree. Late signs are
    judged long after the session (a lump is "late" after a week)."""
    from .inputs import TriageInput
    from .triage import triage

    _verify_flags(k)
    k.signs.detector.know(_words(k))
    for sign in k.signs.by_id.values():
        for part in sign.parts:
            level = part.level or sign.level
            symptoms = [] if part.fever else [part.symptom or sign.symptom]
            for pid in k.protocols:
                inp = TriageInput(pid, 24.0 * 90, "mild", part.fever, symptoms)  # type: ignore[arg-type]
                got = triage(k, inp)["level"]
                if got != level:
                    raise KnowledgeError(
                        f"{rel}: {sign.id}/{part.id}: triage gives {got!r} for "
                        f"{symptoms or 'a fever'} after {pid}, not {level!r}"
                    )


@dataclass(frozen=True, slots=True)
class Flag:
    """A protocol's warning sign as told to its patients, with the action for its level."""

    id: str
    sign: str | None
    level: str
    text: dict[str, str]
    sources: tuple[str, ...]


def flags(k: Knowledge, protocol: str) -> list[Flag]:
    """The warning signs told to the patients of `protocol` (its `red_flags`): a flag that
    names a sign takes the sign's level, and its text and sources unless it has its own."""
    out = []
    for f in k.protocols[protocol].red_flags:
        sign = k.signs.by_id[f.sign] if f.sign else None
        if sign is not None:
            sources = tuple(dict.fromkeys([*sign.sources, *f.sources]))
            out.append(Flag(f.id, sign.id, sign.level, f.text or sign.text, sources))
        else:
            out.append(Flag(f.id, None, f.level, f.text, tuple(f.sources)))  # type: ignore[arg-type]
    return sorted(out, key=lambda f: -RANK[f.level])  # the most urgent first


def _verify_flags(k: Knowledge) -> None:
    for pid, p in k.protocols.items():
        for i, f in enumerate(p.red_flags):
            where = f"protocols/{pid}.yaml: $.red_flags[{i}] ({f.id})"
            if f.sign is not None:
                if f.sign not in k.signs.by_id:
                    raise KnowledgeError(f"{where}: unknown warning sign {f.sign!r}")
                if f.level is not None:
                    raise KnowledgeError(f"{where}: a flag that names a sign takes its level")
            elif f.text is None or f.level is None or not f.sources:
                raise KnowledgeError(f"{where}: needs a sign, or its own text, level and sources")


def action(k: Knowledge, level: str, lang: str) -> str:
    """What to do for a warning sign of `level`: that level's advice (triage.yaml), the one
    text that triage, `ask`, consent, aftercare, articles and the portal all give."""
    advice = k.triage.advice[level]
    return advice.get(lang) or advice["en"]
