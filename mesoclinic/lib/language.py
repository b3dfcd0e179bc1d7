"""Which language a text is shown in: the page's (the active language) or a person's own."""

from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import get_language, get_language_info

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


def offered(clinic) -> list[str]:
    """The languages a clinic offers its staff and patients (its settings page), in the
    site's order: those its setting names that the site knows; every site language when
    the setting names none (a clinic that never chose, or None: no clinic yet)."""
    chosen = set(getattr(clinic, "languages", None) or ())
    codes = [code for code in supported() if code in chosen]
    return codes or supported()


def clinic_default(clinic) -> str:
    """The clinic's own language: the site's default when the clinic offers it, else the
    first the clinic offers (English when it offers English and not the default)."""
    codes = offered(clinic)
    default = settings.LANGUAGE_CODE[:2]
    if default in codes:
        return default
    return FALLBACK if FALLBACK in codes else codes[0]


def choices(clinic) -> list[tuple[str, str]]:
    """(code, the language's own name) for each language the clinic offers."""
    return [(code, get_language_info(code)["name_local"]) for code in offered(clinic)]


def context(request) -> dict:
    """Template context: `offered_languages` for the language switch, the clinic's when a
    staff member or patient is signed in, else every site language."""
    actor = getattr(request, "actor", None)
    return {"offered_languages": choices(actor.clinic if actor else None)}
