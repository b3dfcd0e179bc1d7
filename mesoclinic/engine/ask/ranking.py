"""Ranking article sections for one question: the protocol the asker named or has is
favoured, and a second section that answers about as well, and adds a word of the
question the best one lacks, is given beside it."""

from .articles import DEFAULT_PROTOCOL, Section
from .index import Index

SPECIALISE = 0.5  # a protocol's own section wins if it scores at least this share of the best
CLOSE = 0.7  # a second section that scores this share of the best is given too


def rank(
    index: Index, secs: dict[str, Section], words: list[str], protocol: str | None, explicit: bool
):
    """The best section for `words`, its score, the query and a runner-up worth adding."""
    q = index.query(words)
    results = index.search(q)
    if not results:
        return None, 0.0, q, None

    def boost(item: tuple[str, float]) -> float:
        tag = secs[item[0]].protocol
        if tag is None:
            return item[1]
        if protocol is None:  # nothing named: a section about one protocol is less likely
            return item[1] * (0.9 if tag == DEFAULT_PROTOCOL else 0.8)
        if tag == protocol:
            return item[1]
        return item[1] * (0.5 if explicit else 0.8)

    ranked = sorted(((key, boost((key, s))) for key, s in results), key=lambda kv: (-kv[1], kv[0]))
    best, top = ranked[0]
    if protocol is not None and secs[best].protocol != protocol:
        article = best.split("/")[0]
        for key, score in ranked[1:]:
            if key.startswith(article + "/") and secs[key].protocol == protocol:
                if score >= SPECIALISE * top:
                    best = key
                break
    second = next(
        (
            key
            for key, score in ranked[1:3]
            if key != best
            and score >= CLOSE * top
            and _distinct(secs, best, key, protocol)
            and _adds(index, q, best, key)
        ),
        None,
    )
    return best, top, q, second


def _adds(index: Index, q, best: str, key: str) -> bool:
    """The runner-up holds a word or concept of the question that the best section lacks."""
    return any(t in index.tf[key] and t not in index.tf[best] for t in q.terms)


def _distinct(secs: dict[str, Section], best: str, key: str, protocol: str | None) -> bool:
    """A runner-up worth adding: not about a protocol other than the asker's, nor, in the
    same article, the general section beside a protocol's own (the sessions of hair)."""
    tag = secs[key].protocol
    if tag is not None and tag != (protocol or secs[best].protocol):
        return False
    return not ((tag or secs[best].protocol) and key.split("/")[0] == best.split("/")[0])
