"""The warning-sign detector's words: tokens of a text (sentences, negation scope), the
patterns a warning sign is written in, and how a typed word matches a pattern's word
(English endings, Turkish suffixes and softening, one typo in a long word). Pure."""

import re
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

from .knowledge import normalize
from .schema import KnowledgeError, SignPart, WarningSign

WINDOW = 12  # words within which a pattern's groups must all be found
TYPO_MIN = 5  # a word this long may be matched one typo away
STEM_TYPO_MIN = 6  # a stem* this long may be matched one typo away
_TOKEN = re.compile(r"[a-z0-9]+")
_EN_ENDINGS = frozenset(["s", "es", "ed", "d", "ing", "er", "ers", "y", "ly", "ness", "iness"])
_EN_DOUBLED = ("ing", "ed", "er", "y")
# Turkish noun endings on the accent-free form: plural, possessive, buffer n, case, -ki,
# copula (göz-ler-im-de, dudağ-ım, gözüm-ün, ses-im, boğaz-ım-da).
_TR_ENDINGS = re.compile(
    r"(lar|ler)?"
    r"(m|im|um|n|in|un|i|u|si|su|miz|imiz|umuz|niz|iniz|unuz|lari|leri)?"
    r"(n)?"
    r"(a|e|ya|ye|i|u|yi|yu|da|de|ta|te|dan|den|tan|ten|in|un|nin|nun|la|le|yla|yle)?"
    r"(ki)?"
    r"(dir|dur|tir|tur|yim|yum|im|um)?"
)
_SOFT = {"k": "g", "p": "b", "t": "d", "c": "c"}
_VOWELS = frozenset("aeiou")
_NONE: set[int] = set()


@lru_cache(maxsize=2)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("turkish")


@dataclass(frozen=True, slots=True)
class Token:
    word: str  # accent-free, lower case
    stems: frozenset[str]  # its Turkish stems (of the typed and the accent-free form)
    sentence: int
    clause: int
    start: int  # character span in the original text
    end: int


@dataclass(frozen=True, slots=True)
class Term:
    """One alternative of a group: a word or consecutive words; a trailing * is a prefix."""

    words: tuple[str, ...]
    stars: tuple[bool, ...]


@dataclass(frozen=True, slots=True)
class Pattern:
    lang: str
    groups: tuple[tuple[Term, ...], ...]
    window: int
    source: str


@dataclass(frozen=True, slots=True)
class Hit:
    """A warning sign found: the sign, the part, its level and the words that raised it."""

    sign: str
    part: str
    level: str
    words: str
    symptom: str | None
    fever: bool

    def as_dict(self) -> dict:
        return {"sign": self.sign, "part": self.part, "level": self.level, "words": self.words}


@dataclass(frozen=True, slots=True)
class Compiled:
    sign: WarningSign
    part: SignPart
    level: str
    patterns: tuple[Pattern, ...]


def parse_pattern(text: str, lang: str) -> Pattern:
    """ "lip|mouth + swell*|puffy @8" -> a Pattern; KnowledgeError when malformed."""
    source = text
    window = WINDOW
    m = re.search(r"\s@(\d+)\s*$", text)
    if m:
        window, text = int(m.group(1)), text[: m.start()]
    groups = []
    for group in text.split(" + "):
        terms = []
        for alt in group.split("|"):
            words = tuple(normalize(alt).split())
            if not words or any(not re.fullmatch(r"[a-z0-9]+\*?", w) for w in words):
                raise KnowledgeError(f"warning_signs.yaml: bad word {alt!r} in {source!r}")
            terms.append(
                Term(tuple(w.rstrip("*") for w in words), tuple(w.endswith("*") for w in words))
            )
        groups.append(tuple(terms))
    return Pattern(lang, tuple(groups), window, source)


# --- Words ----------------------------------------------------------------------------------


def english(token: str, word: str) -> bool:
    """`token` is `word` with an English ending (-s, -ed, -ing, -er, -y...)."""
    if not token.startswith(word[:-1]) or len(word) < 3:
        return False
    if token.startswith(word):
        rest = token[len(word) :]
        return rest in _EN_ENDINGS or (rest[:1] == word[-1] and rest[1:] in _EN_DOUBLED)
    rest = token[len(word) - 1 :]
    if word.endswith("e"):
        return rest in ("ing", "ed", "er", "y")  # bruise -> bruising
    return word.endswith("y") and rest in ("ies", "ied", "ier", "ily")


def turkish(token: str, stems: frozenset[str], word: str) -> bool:
    """`token` is `word` with Turkish noun endings: by the stemmer, or by the table of
    endings (a final k softened before a vowel: dudak -> dudağım)."""
    if word in stems:
        return True
    if token.startswith(word) and _TR_ENDINGS.fullmatch(token[len(word) :]):
        return True
    soft = word[:-1] + _SOFT.get(word[-1], word[-1])
    rest = token[len(soft) :]
    return (
        soft != word
        and token.startswith(soft)
        and rest[:1] in _VOWELS
        and bool(_TR_ENDINGS.fullmatch(rest))
    )


def distance1(a: str, b: str) -> bool:
    """At most one edit apart (a swap of two neighbours counts as one)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        return a[i + 1 :] == b[i + 1 :] or (
            a[i + 2 :] == b[i + 2 :] and a[i : i + 2] == b[i : i + 2][::-1]
        )
    longer, shorter = (a, b) if la > lb else (b, a)
    return longer[i + 1 :] == shorter[i:]


_DELIM = r"(?<!\d)[.,]|[.,](?!\d)|[!?;:()\[\]\n]"
_SPLIT = re.compile(f"({_DELIM})")
_SENTENCE = re.compile(r"(?<!\d)\.|\.(?!\d)|[!?;\n]")  # a pattern stays within one
_WORD = re.compile(r"[^\W_]+(?:['’`´][^\W_]+)*")
_MERGE = {"can": "cannot", "will": "wont"}  # "can not" -> "cannot", "does not" -> "doesnt"
_AUX = frozenset(
    [
        "can",
        "could",
        "do",
        "does",
        "did",
        "is",
        "are",
        "was",
        "were",
        "will",
        "would",
        "has",
        "have",
        "had",
        "should",
    ]
)


def tokens(text: str) -> list[Token]:
    """The words of `text`, accent-free, each with its clause number and its span; "can
    not" and "does not" become "cannot" and "doesnt", "didn't" becomes "didnt"."""
    lowered = text.replace("İ", "i").lower()
    stem = _stemmer().stemWord
    out: list[Token] = []
    pos = 0
    sentence = 0
    for clause, piece in enumerate(_SPLIT.split(lowered)):
        sentence += bool(_SENTENCE.fullmatch(piece))
        for m in _WORD.finditer(piece):
            typed = re.sub(r"['’`´]", "", m.group())
            for w in _TOKEN.findall(normalize(typed)):
                stems = frozenset({normalize(stem(typed)), stem(w)})
                out.append(Token(w, stems, sentence, clause, pos + m.start(), pos + m.end()))
        pos += len(piece)
    merged: list[Token] = []
    for t in out:
        prev = merged[-1] if merged else None
        if t.word == "not" and prev and prev.word in _AUX and prev.clause == t.clause:
            word = _MERGE.get(prev.word, prev.word + "nt")
            merged[-1] = Token(word, frozenset({word}), t.sentence, t.clause, prev.start, t.end)
        else:
            merged.append(t)
    return merged
