"""Does the knowledge base know what a question is about? Words foreign to it.

Retrieval answers from shared words, so an everyday question built around one domain word
("how long should a Zoom session be", "how do I stop bananas from bruising") finds a
section. A question is about the knowledge base only if its content words are known to it:
a word is *known* when it, its Snowball stem or its light stem (text.stem; in Turkish the
first five letters, matched against Turkish words only) occurs in an article, a lay-word concept, a protocol's or the domain gate's
words, or the `general` words of _ask.yaml (pronouns, family, time, quantity, everyday
verbs: words that say nothing about a topic), or when it is one typo from such a word (six
letters on). The rest are *foreign*: the question's own topic, which no section holds.

The decision (engine.py `elsewhere`): a question with FOREIGN_MAX or more foreign words is
refused, and so is one with any foreign word and only one piece of domain evidence (which
the foreign word turns into something else: "psikolog seansı", "eyelashes" with
"mesotherapy"), or any foreign word in a question about the price. The limits were chosen
on the dev splits only.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

from ..schema import WarningSign
from .articles import Articles
from .domain import strict_lexicon
from .lexicon import Lexicon
from .text import LANGS, distance, norm, stem, tokens

SNOWBALL = {"en": "english", "tr": "turkish"}
FOREIGN_MAX = 2  # this many foreign words: the question is about something else
TYPO_MIN = 6  # a word this long may be a known word with one typo ("linen" is no typo)
_PATTERN_SYNTAX = re.compile(r"[|+*]")
# Turkish as it is typed in chat: "-yo" for "-yor" (oluyo, satıyo), "-cam/-cem" for
# "-cağım/-ceğim" (yapıcam); read as the written form before looking a word up.
_COLLOQUIAL = (
    (re.compile(r"yo$"), "yor"),
    (re.compile(r"yom$"), "yorum"),
    (re.compile(r"yoz$"), "yoruz"),
    (re.compile(r"([aeiu])c([ae])m$"), r"\1c\2gim"),
    (re.compile(r"icam$"), "acagim"),
    (re.compile(r"icem$"), "ecegim"),
)


@lru_cache(maxsize=4)
def _stemmer(lang: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(SNOWBALL[lang])


def snowball(word: str, lang: str) -> str:
    return _stemmer(lang).stemWord(word)


@dataclass(frozen=True, slots=True, eq=False)
class Coverage:
    words: frozenset[str]  # every known word, as typed (accent-free)
    light: dict[str, frozenset[str]]  # per language: light stems (text.stem) of its own words
    # only (the Turkish five-letter prefix of English words would make "differin" known)
    snow: dict[str, frozenset[str]]  # per language: Snowball stems
    lexicons: tuple[Lexicon, ...]  # the domain terms, matched strictly (domain.py)
    by_letter: dict[str, tuple[str, ...]]  # known words of TYPO_MIN letters or more

    @classmethod
    def build(cls, texts: dict[str | None, list[str]], lexicons: tuple[Lexicon, ...]) -> "Coverage":
        """`texts` per language (None: lists that mix both languages)."""
        own = {lang: {w for t in texts.get(lang, []) for w in tokens(t)} for lang in (*LANGS, None)}
        words = frozenset().union(*own.values())
        return cls(
            words,
            {lang: frozenset(stem(w, lang) for w in own[lang] | own[None]) for lang in LANGS},
            {lang: frozenset(snowball(w, lang) for w in words) for lang in LANGS},
            lexicons,
            {
                c: tuple(sorted(w for w in words if w[0] == c and len(w) >= TYPO_MIN))
                for c in {w[0] for w in words}
            },
        )

    def known(self, word: str) -> bool:
        if self._known(word):
            return True
        for pattern, repl in _COLLOQUIAL:
            written = pattern.sub(repl, word)
            if written != word and self._known(written):
                return True
        return False

    def _known(self, word: str) -> bool:
        if word in self.words or word.isdigit() or len(word) < 3:
            return True
        for lang in LANGS:
            if stem(word, lang) in self.light[lang] or snowball(word, lang) in self.snow[lang]:
                return True
        if any(lex.find([word]) for lex in self.lexicons):
            return True
        return len(word) >= TYPO_MIN and any(  # one typo away ("mesotheraphy")
            abs(len(w) - len(word)) <= 1 and distance(word, w, 1) <= 1
            for w in self.by_letter.get(word[0], ())
        )

    def foreign(self, words: list[str]) -> list[str]:
        """The question's words the knowledge base does not know, in order."""
        return [w for w in dict.fromkeys(words) if not self.known(w)]


def curated(extra: dict, vocab: dict[str, frozenset[str]]) -> Lexicon:
    """The curated words (general, stop, domain and asking words, every concept), matched
    strictly with their grammatical endings ("farkı", "gelip"); general Turkish words may
    be verb roots."""
    words = {str(w) for key in ("stopwords", "general") for ws in extra[key].values() for w in ws}
    words |= {
        str(w) for key in ("words", "asking") for ws in extra["domain"][key].values() for w in ws
    }
    words |= {str(w) for ws in extra["concepts"].values() for w in ws}
    verbs = frozenset(extra["domain"]["verbs"]) | {norm(w) for w in extra["general"]["tr"]}
    return strict_lexicon({"known": sorted(words)}, vocab, None, verbs)


def sign_texts(signs: Iterable[WarningSign]) -> dict[str, list[str]]:
    """The words of the warning signs' wordings, per language: the knowledge base knows how
    patients describe their body and symptoms ("lip", "dudağımda", "eyelid")."""
    out: dict[str, list[str]] = {lang: [] for lang in LANGS}
    for sign in signs:
        for part in sign.parts:
            for lang in LANGS:
                for pattern in getattr(part, lang):
                    out[lang].append(_PATTERN_SYNTAX.sub(" ", pattern.split("@")[0]))
    return out


def known_texts(
    articles: Articles, signs: Iterable[WarningSign] = ()
) -> dict[str | None, list[str]]:
    """Every text whose words the knowledge base knows (coverage.py), per language (None:
    the curated lists that mix both)."""
    extra = articles.extra
    out: dict[str | None, list[str]] = {lang: [] for lang in (*LANGS, None)}
    for lang, texts in sign_texts(signs).items():
        out[lang] += texts
    for key in ("stopwords", "general"):
        for lang, ws in extra[key].items():
            out[lang] += [str(w) for w in ws]
    for key in ("words", "asking"):
        for lang, ws in extra["domain"][key].items():
            out[lang] += [str(w) for w in ws]
    out[None] += extra["fillers"]
    for group in ("concepts", "protocols", "guard"):
        out[None] += [str(w) for ws in extra[group].values() for w in ws]
    for art in articles.articles.values():
        for lang, title in art.title.items():
            out[lang].append(title)
    for sec in articles.sections.values():
        for lang in LANGS:
            out[lang] += [sec.title[lang], sec.body[lang], *sec.ask.get(lang, [])]
    return out
