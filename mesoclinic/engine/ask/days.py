"""Days since a session, read from a question ("day 2", "yesterday", "2. gün")."""

import re

from .text import tokens

_DAY = (
    (re.compile(r"\bday (\d{1,3})\b"), 1),
    (re.compile(r"\b(\d{1,3})\.? (?:gun|gundeyim)\b"), 1),
    (re.compile(r"\b(\d{1,3}) days?\b"), 1),
    (re.compile(r"\b(\d{1,2}) (?:weeks?|hafta)\b"), 7),
)
_DAY_WORDS = {
    0: ("today", "tonight", "this evening", "right after", "same evening", "bugun", "bu aksam"),
    1: ("yesterday", "tomorrow", "next day", "day after", "next morning", "dun", "yarin"),
    7: ("next week", "gelecek hafta", "haftaya"),
}


def day_in(question: str) -> int | None:
    """ "day 2 after…", "2. gün", "3 days ago", "yesterday", "next week" -> days since."""
    q = " ".join(tokens(question))
    for pattern, factor in _DAY:
        m = pattern.search(q)
        if m:
            return int(m.group(1)) * factor
    for day, phrases in _DAY_WORDS.items():
        if any(re.search(rf"\b{p}\b", q) for p in phrases):
            return day
    return None
