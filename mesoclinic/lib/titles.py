"""Knowledge ids in plain words: protocol titles and product-class labels, in the page's
language unless one is given. An id the current knowledge no longer has (an old record)
is shown as it is."""

from mesoclinic.engine.knowledge import Knowledge, load, text

from .language import language


def protocol_title(protocol: str, lang: str | None = None, k: Knowledge | None = None) -> str:
    p = (k or load()).protocols.get(protocol)
    return text(p.title, lang or language()) if p else protocol


def protocol_titles(lang: str | None = None, k: Knowledge | None = None) -> dict[str, str]:
    lang = lang or language()
    return {p.id: text(p.title, lang) for p in (k or load()).protocols.values()}


def protocol_choices(lang: str | None = None, k: Knowledge | None = None) -> list[tuple[str, str]]:
    return list(protocol_titles(lang, k).items())


def class_label(product_class: str, lang: str | None = None, k: Knowledge | None = None) -> str:
    pc = (k or load()).product_classes.get(product_class)
    return text(pc.label, lang or language()) if pc else product_class


def class_choices(lang: str | None = None, k: Knowledge | None = None) -> list[tuple[str, str]]:
    lang = lang or language()
    return [(pc.id, text(pc.label, lang)) for pc in (k or load()).product_classes.values()]


def symptom_label(symptom: str, lang: str | None = None, k: Knowledge | None = None) -> str:
    """A triage symptom id in plain words (knowledge messages.symptoms)."""
    words = (k or load()).messages.symptoms
    return text(words[symptom], lang or language()) if symptom in words else symptom


def symptom_choices(lang: str | None = None, k: Knowledge | None = None) -> list[tuple[str, str]]:
    lang = lang or language()
    return [(s, text(label, lang)) for s, label in (k or load()).messages.symptoms.items()]
