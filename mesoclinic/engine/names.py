"""Names to substances: how screening recognises an ingredient, an allergy or a device
in the words a clinic or a patient typed (exact terms, then one typo in a long name).
Pure, like the rest of the engine."""

import re
from dataclasses import dataclass
from functools import lru_cache

from .knowledge import Knowledge, normalize

_PUNCTUATION = re.compile(r"[\W_]+")


def _words(term: str) -> str:
    """A normalized term with punctuation as spaces ("lidocaine/prilocaine" -> two words)."""
    return " ".join(_PUNCTUATION.sub(" ", normalize(term)).split())


Table = tuple[tuple[str, frozenset[str]], ...]


def _table(pairs) -> Table:
    merged: dict[str, set[str]] = {}
    for name, ids in pairs:
        merged.setdefault(_words(name), set()).update(ids)
    merged.pop("", None)
    return tuple(
        sorted(((n, frozenset(v)) for n, v in merged.items()), key=lambda t: (-len(t[0]), t[0]))
    )


@lru_cache(maxsize=16)
def _vocabulary(k: Knowledge) -> tuple[Table, Table, Table]:
    """(substance and brand names, class names, device names), longest first."""
    substances = _table(
        [(n, {sid}) for n, sid in k.names.items()]
        + [(n, set(ids)) for n, ids in k.brand_names.items()]
    )
    classes = _table(k.class_names.items())
    devices = _table((n, {dev}) for n, dev in k.device_names.items())
    return substances, classes, devices


def _find(table: Table, term: str, shortest: int = 4) -> frozenset[str]:
    """The ids of every known name in `term` (in _words form): the whole term, or a name of
    at least `shortest` characters as whole words inside it; longer names win overlaps."""
    padded = f" {term} "
    found: set[str] = set()
    for name, ids in table:
        if padded == f" {name} " or (len(name) >= shortest and f" {name} " in padded):
            found |= ids
            padded = padded.replace(f" {name} ", " | ")
    return frozenset(found)


def _one_edit(a: str, b: str) -> bool:
    """At most one insertion, deletion, substitution or swap of neighbours turns a into b."""
    if abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        swapped = a[i : i + 2] == b[i : i + 2][::-1] and a[i + 2 :] == b[i + 2 :]
        return a[i + 1 :] == b[i + 1 :] or swapped
    if len(a) > len(b):
        return a[i + 1 :] == b[i:]
    return a[i:] == b[i + 1 :]


FUZZY_MIN = 6  # a name this long or longer also matches with one typo ("novacaine")


def fuzzy_ok(term: str) -> bool:
    """One long word of letters: "vitamin c" and "vitamin h" are not typos of each other."""
    return len(term) >= FUZZY_MIN and term.isalpha()


def _fuzzy(table: Table, term: str) -> frozenset[str]:
    """One-word names one typo away from a word of the term."""
    candidates = [c for c in term.split() if fuzzy_ok(c)]
    found: set[str] = set()
    for name, ids in table:
        if fuzzy_ok(name) and any(_one_edit(c, name) for c in candidates):
            found |= ids
    return frozenset(found)


@dataclass(frozen=True, slots=True)
class _Ingredient:
    name: str
    substances: frozenset[str]
    classes: frozenset[str]


def _classes_of(k: Knowledge, substances: frozenset[str]) -> frozenset[str]:
    return frozenset(c for sub in substances for c in k.substances[sub].classes)


@lru_cache(maxsize=4096)
def _identify(k: Knowledge, name: str) -> _Ingredient:
    """Which known substances an ingredient names: its name, a brand (a combination names
    each of its substances), or known names inside it ("lidocaine HCl 2%")."""
    words = _words(name)
    substances = _find(_vocabulary(k)[0], words)
    return _Ingredient(words, substances, _classes_of(k, substances))


@dataclass(frozen=True, slots=True)
class _Allergy:
    name: str
    substances: frozenset[str]
    named_classes: frozenset[str]  # the class words it uses ("local anaesthetics")
    classes: frozenset[str]  # those, and the classes of its substances


@lru_cache(maxsize=4096)
def _allergen(k: Knowledge, allergy: str) -> _Allergy:
    """What an allergy names: substances (by name, brand, or one typo away) and classes."""
    substance_table, class_table, _ = _vocabulary(k)
    words = _words(allergy)
    substances = _find(substance_table, words)
    named = _find(class_table, words)
    if words and not substances and not named:
        substances = _fuzzy(substance_table, words)
        named = _fuzzy(class_table, words)
    return _Allergy(words, substances, named, named | _classes_of(k, substances))


def _allergy_matches(k: Knowledge, allergy: str, ing: _Ingredient) -> bool:
    a = _allergen(k, allergy)
    if not a.name:
        return False
    if a.substances & ing.substances or a.named_classes & ing.classes:
        return True
    # a substance the knowledge does not know: the same name, or that name inside
    return a.name == ing.name or (len(a.name) >= 4 and f" {a.name} " in f" {ing.name} ")


@lru_cache(maxsize=4096)
def device_of(k: Knowledge, name: str) -> str | None:
    """The implanted device (an id of k.devices) that a patient's words name, if any: a
    known name (in any language), a short name such as "ICD" as a word, or one typo away."""
    table = _vocabulary(k)[2]
    words = _words(name)
    found = _find(table, words, shortest=3) or _fuzzy(table, words)
    return min(found) if found else None
