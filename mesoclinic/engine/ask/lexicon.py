"""Phrase lists (lay words, symptoms, protocol names) matched against a question's words."""

from collections import defaultdict
from collections.abc import Callable

from .text import tokens, word_matches

Matcher = Callable[[str, str, bool], bool]  # (question word, lexicon word, fuzzy) -> match


class Lexicon:
    """Labelled phrases; `find` tells which labels a list of words contains.

    Matching one word against every lexicon word is the costly part, so it is done once
    per distinct word (cached) and only against lexicon words that share its first letter
    (a typo in the first letter is not forgiven). `match` decides whether a question word
    is a lexicon word (the loose `word_matches` by default; the domain gate is stricter).
    """

    def __init__(self, entries: dict[str, list[str]], match: Matcher = word_matches):
        self.match = match
        self.phrases: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
        self.by_letter: dict[str, set[str]] = defaultdict(set)
        for label, phrases in entries.items():
            for phrase in phrases:
                star = phrase.endswith("*")
                words = tuple(tokens(phrase))
                if star:
                    words = (*words[:-1], words[-1] + "*")
                self.phrases[words[0]].append((label, words[1:]))
                self.by_letter[words[0][0]].add(words[0])
        self._cache: dict[str, tuple[str, ...]] = {}
        self.known: frozenset[str] = frozenset()  # real words: never read as typos

    def know(self, words: frozenset[str]) -> "Lexicon":
        self.known = words
        self._cache.clear()
        return self

    def _first_words(self, token: str) -> tuple[str, ...]:
        hit = self._cache.get(token)
        if hit is None:
            fuzzy = token not in self.known
            hit = tuple(w for w in self.by_letter.get(token[0], ()) if self.match(token, w, fuzzy))
            if len(self._cache) > 100_000:  # pragma: no cover - a bound, not a behaviour
                self._cache.clear()
            self._cache[token] = hit
        return hit

    def find(self, words: list[str]) -> set[str]:
        """Labels found; a longer phrase hides the shorter ones inside it ("blood thinner"
        is not also "blood")."""
        hits = []
        for i, token in enumerate(words):
            for first in self._first_words(token):
                for label, rest in self.phrases[first]:
                    tail = words[i + 1 : i + 1 + len(rest)]
                    if len(tail) == len(rest) and all(
                        self.match(t, r, t not in self.known)
                        for t, r in zip(tail, rest, strict=True)
                    ):
                        hits.append((len(rest) + 1, i, label))
        found: set[str] = set()
        covered: dict[int, int] = {}  # position -> length of the longest phrase over it
        for length, i, label in sorted(hits, key=lambda h: -h[0]):
            if all(covered.get(j, length) <= length for j in range(i, i + length)):
                found.add(label)
                for j in range(i, i + length):
                    covered.setdefault(j, length)
        return found


def group_lexicon(patterns: list[dict]) -> Lexicon:
    """One lexicon for pattern groups: label "i.j" is group j of pattern i."""
    entries: dict[str, list[str]] = {}
    for i, pattern in enumerate(patterns):
        for j, group in enumerate(pattern["all"]):
            entries[f"{i}.{j}"] = group
    return Lexicon(entries)


def matched_patterns(patterns: list[dict], labels: set[str]) -> list[dict]:
    return [
        p for i, p in enumerate(patterns) if all(f"{i}.{j}" in labels for j in range(len(p["all"])))
    ]
