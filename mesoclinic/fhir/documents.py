"""The documents extension point of the patient's copy.

Another app (the PDFs of issue 16: consent, session record, aftercare, summary) registers
a callable `(actor, patient) -> list[(filename, bytes)]`; the copy calls each one and puts
what it returns under documents/ in the archive. A provider that fails is named in the
README's list of what is missing, never a server error:

    from mesoclinic.fhir.documents import register

    @register
    def consent_pdfs(actor, patient):
        return [("consent-face-mesolift-v3.pdf", pdf_bytes), ...]
"""

import logging
from collections.abc import Callable

log = logging.getLogger(__name__)

Provider = Callable[[object, object], list[tuple[str, bytes]]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def unregister(provider: Provider) -> None:
    if provider in _PROVIDERS:
        _PROVIDERS.remove(provider)


def providers() -> list[Provider]:
    return list(_PROVIDERS)


def collect(actor, patient) -> tuple[list[tuple[str, bytes]], list[str]]:
    """Every registered provider's documents, and the names of the providers that failed."""
    found: list[tuple[str, bytes]] = []
    failed: list[str] = []
    for provider in _PROVIDERS:
        name = getattr(provider, "__name__", repr(provider))
        try:
            for filename, data in provider(actor, patient) or []:
                found.append((str(filename), bytes(data)))
        except Exception:  # one broken document must not cost the patient the whole copy
            log.exception("patient copy: document provider %s failed", name)
            failed.append(name)
    return found, failed
