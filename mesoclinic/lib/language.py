"""Which language a text is shown in: the page's (the active language) or a person's own."""

from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import get_language

FALLBACK = "en"  # the knowledge and every catalogue are complete in English


def supported() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language() -> str:
    """The active language as a two-letter code, when the site supports it, else English."""
    code = (get_language() or settings.LANGUAGE_CODE)[:2]
    return code if code in supported() else FALLBACK


def person_language(person) -> str:
    """The language a message to this person is written in: their own when the record
    has one, else the site's default."""
    return (getattr(person, "language", "") or settings.LANGUAGE_CODE)[:2]


def pick_language(wanted: str | None, available: Iterable[str]) -> str:
    """`wanted` when it is one of `available`, else the active language when it is, else
    English (a document offered in a few languages, such as a consent text)."""
    available = list(available)
    if wanted in available:
        return wanted
    current = language()
    return current if current in available else FALLBACK
