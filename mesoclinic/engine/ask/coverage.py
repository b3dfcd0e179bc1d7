"""Does the knowledge base know what a question is about? Words foreign to it.

Retrieval answers from shared words, so an everyday question built around one domain word
("how long should a Zoom session be", "how do I stop bananas from bruising") finds a
section. A question is about the knowledge base only if its content words are known to it:
a word is *known* when it (or its Snowball stem, in English or Turkish, or its light stem
as the index reads it, or a word one typo away) occurs in an article, a lay-word concept,
a protocol's or the domain gate's words, or the `general` words of _ask.yaml (pronouns,
family, time, quantity, everyday verbs: words that say nothing about a topic). The rest
are *foreign*: the question's own topic, which no section holds.

The decision (engine.py): a question with FOREIGN_MAX or more foreign words is refused,
and so is one with any foreign word and only one piece of domain evidence (a single
domain term, which the foreign word then turns into something else: "psikolog seansı",
"eyelashes" with "mesotherapy"). The limits were chosen on the dev splits only.
"""

from dataclasses import dataclass
from functools import lru_cache

import Stemmer

from .lexicon import Lexicon
from .text import LANGS, stem, tokens

SNOWBALL = {"en": "english", "tr": "turkish"}
FOREIGN_MAX = 2  # this many foreign words: the question is about something else


@lru_cache(maxsize=4)
def _stemmer(lang: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(SNOWBALL[lang])


def snowball(word: str, lang: str) -> str:
    return _stemmer(lang).stemWord(word)


@dataclass(frozen=True, slots=True, eq=False)
class Coverage:
    words: frozenset[str]  # every known word, as typed (accent-free)
    light: dict[str, frozenset[str]]  # per language: light stems (text.stem)
    snow: dict[str, frozenset[str]]  # per language: Snowball stems
    lexicons: tuple[Lexicon, ...]  # the domain terms, matched strictly (domain.py)

    @classmethod
    def build(cls, texts: list[str], lexicons: tuple[Lexicon, ...]) -> "Coverage":
        words = frozenset(w for t in texts for w in tokens(t))
        return cls(
            words,
            {lang: frozenset(stem(w, lang) for w in words) for lang in LANGS},
            {lang: frozenset(snowball(w, lang) for w in words) for lang in LANGS},
            lexicons,
        )

    def known(self, word: str) -> bool:
        if word in self.words or word.isdigit() or len(word) < 3:
            return True
        for lang in LANGS:
            if stem(word, lang) in self.light[lang] or snowball(word, lang) in self.snow[lang]:
                return True
        return any(lex.find([word]) for lex in self.lexicons)

    def foreign(self, words: list[str]) -> list[str]:
        """The question's words the knowledge base does not know, in order."""
        return [w for w in dict.fromkeys(words) if not self.known(w)]
