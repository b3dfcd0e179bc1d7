"""Text handling for answering: normal forms, tokens, light stemming, typo distance, language.

Everything works on the accent- and case-free form of `knowledge.normalize` (so "Yüzümü"
and "yuzumu" are the same word), which is what patients type on phones without a Turkish
keyboard. Stemming is deliberately light: English loses common suffixes, Turkish keeps the
first five letters of a word (a prefix stem that suits its suffix-heavy words).
"""

import re
from functools import lru_cache

from ..knowledge import normalize

LANGS = ("en", "tr")
TURKISH_LETTERS = frozenset("çğışöüÇĞİŞÖÜ")
_TOKEN = re.compile(r"[a-z0-9]+")
_CONTRACTION = re.compile(r"\b(can|don|won|isn|doesn|couldn|shouldn|wouldn|didn|aren|wasn)\s+t\b")
_EN_SUFFIXES = ("ing", "edly", "ed", "ly", "es", "s")


def norm(text: str) -> str:
    """The comparable form: no case, no accents, apostrophes and dashes as spaces."""
    text = normalize(re.sub(r"[’'`´\-_/]", " ", text))
    return _CONTRACTION.sub(r"\1t", text)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(norm(text))


@lru_cache(maxsize=32768)
def stem(token: str, lang: str) -> str:
    if token.isdigit():
        return token
    if lang == "tr":
        return token[:5]
    if token.endswith("ies") and len(token) > 4:
        token = token[:-3] + "y"
    else:
        for suffix in _EN_SUFFIXES:
            if (
                token.endswith(suffix)
                and len(token) - len(suffix) >= 3
                and not token.endswith("ss")
            ):
                token = token[: -len(suffix)]
                break
    if len(token) > 3 and token.endswith("e"):
        token = token[:-1]
    return token[:7]


def distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count 1), capped at limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return min(prev[-1], limit + 1)


def word_matches(token: str, word: str, fuzzy: bool = True) -> bool:
    """A lexicon word matches a token: exactly when short (a trailing * asks for a prefix
    match anyway: "sis*" for Turkish "şişti"), as a prefix from four letters on, and with
    one typo from seven letters on (never on a shorter token: "gore" is not "gorme"), and
    only when `fuzzy` (a word the articles use is not a typo: "injection" is not "infection")."""
    if word.endswith("*"):
        return token.startswith(word[:-1])
    if len(word) < 4:
        return token == word
    if token.startswith(word):
        return True
    if not fuzzy or len(word) < 7 or len(token) < len(word):
        return False
    return any(distance(token[:n], word, 1) <= 1 for n in (len(word), len(word) + 1))


def detect_language(
    question: str, markers: dict[str, frozenset[str]], vocab: dict[str, frozenset[str]]
) -> str:
    """English or Turkish: Turkish letters decide; else the language whose common words,
    and whose article words (only one language uses), the question uses more. Ties: en."""
    if any(ch in TURKISH_LETTERS for ch in question):
        return "tr"
    score = dict.fromkeys(LANGS, 0)
    for w in tokens(question):
        for lang, other in (("en", "tr"), ("tr", "en")):
            own = stem(w, lang) in vocab[lang] and stem(w, other) not in vocab[other]
            score[lang] += (w in markers[lang]) + own
    return "tr" if score["tr"] > score["en"] else "en"
