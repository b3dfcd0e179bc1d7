"""Retrieval over article sections: BM25 on light stems, lay-word concepts and typo tolerance.

One index per language. A section's document is its title and sample questions (weighted
twice), its body (rendered with the default protocol) and the concepts its text names.
The question is scored the same way; a word that is not in the vocabulary is matched to
vocabulary words one typo away, at a lower weight.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from .lexicon import Lexicon
from .text import distance, stem, tokens

K1 = 1.2
B = 0.6
FUZZY_WEIGHT = 0.6
CONCEPT_WEIGHT = 2.5  # curated lay words weigh more than a bare word


@dataclass(frozen=True, slots=True)
class Query:
    terms: dict[str, float]  # term -> weight
    content: int  # content words in the question
    known: int  # of which the index knows (exactly, by a typo, or as a concept)


class Index:
    def __init__(
        self,
        docs: dict[str, list[tuple[float, str, bool]]],
        concepts: Lexicon,
        lang: str,
        stopwords: frozenset[str],
        fuzzy: bool = True,
        weights: dict[str, float] | None = None,
    ):
        self.weights = weights or {}
        self.lang = lang
        self.fuzzy = fuzzy
        self.concepts = concepts
        self.stopwords = stopwords
        self.tf: dict[str, Counter] = {}
        df: Counter = Counter()
        for key, parts in docs.items():
            bag: Counter = Counter()
            for weight, part, curated in parts:
                words = tokens(part)
                for w in words:
                    if w not in stopwords:
                        bag[stem(w, lang)] += weight
                if curated:  # concepts come from titles and sample questions, not bodies
                    for c in concepts.find(words):
                        bag["@" + c] += weight
            self.tf[key] = bag
            df.update(bag.keys())
        n = len(docs)
        self.idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        self.length = {key: sum(bag.values()) for key, bag in self.tf.items()}
        self.avg = sum(self.length.values()) / max(n, 1)
        self.postings: dict[str, list[str]] = defaultdict(list)
        for key, bag in self.tf.items():
            for t in bag:
                self.postings[t].append(key)
        self.by_letter: dict[str, list[str]] = defaultdict(list)
        for t in self.idf:
            if t[0] != "@" and len(t) >= 4:
                self.by_letter[t[0]].append(t)

    def near(self, s: str) -> list[str]:
        """Indexed terms one typo from `s` (two from eight letters); none under four."""
        if len(s) < 4 or s.isdigit():
            return []
        limit = 2 if len(s) >= 8 else 1
        return [t for t in self.by_letter.get(s[0], ()) if distance(s, t, limit) <= limit]

    def query(self, words: list[str]) -> Query:
        terms: dict[str, float] = {}
        content = known = 0
        for w in words:
            if w in self.stopwords:
                continue
            content += 1
            s = stem(w, self.lang)
            if s in self.idf:
                terms[s] = 1.0
                known += 1
            elif self.fuzzy and len(s) >= 4 and not s.isdigit():
                near = self.near(s)
                for t in near:
                    terms.setdefault(t, FUZZY_WEIGHT)
                known += bool(near)
        concepts = self.concepts.find(words)
        for c in concepts:
            terms["@" + c] = self.weights.get(c, CONCEPT_WEIGHT)
        return Query(terms, max(content, len(concepts)), min(known + len(concepts), content))

    def search(self, q: Query) -> list[tuple[str, float]]:
        scores: dict[str, float] = defaultdict(float)
        for t, weight in q.terms.items():
            idf = self.idf.get(t, 0.0)
            for key in self.postings.get(t, ()):
                f = self.tf[key][t]
                norm = K1 * (1 - B + B * self.length[key] / self.avg)
                scores[key] += weight * idf * f * (K1 + 1) / (f + norm)
        return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
