"""Load, validate and index the knowledge files.

A broken file fails loudly: the error names the file and the field. The whole set has
a version (a content hash) that every decision carries.
"""

import hashlib
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

from .knowledge_checks import (
    _check_facts,
    _check_protocol,
    _check_rule,
    _check_sources,
    _check_texts,
)
from .schema import (
    Brand,
    Consent,
    Device,
    Devices,
    Fact,
    IngredientClass,
    Ingredients,
    Instruction,
    KnowledgeError,
    Messages,
    Protocol,
    Rule,
    Source,
    Strict,
    Substance,
    Technique,
    Text,
    Triage,
    WarningSigns,
    decode,
)

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "knowledge"
PROTOCOL_IDS = (
    "face-mesolift",
    "facial-pigmentation",
    "acne-scar",
    "eye-area",
    "neck-decollete",
    "hands",
    "hair",
    "body-cellulite",
    "prp",
    "needle-free",
    "microneedling",
)


class _Sources(Strict, kw_only=True):
    sources: list[Source]


class _Facts(Strict, kw_only=True):
    facts: list[Fact]


class _Rules(Strict, kw_only=True):
    rules: list[Rule]


class _Instructions(Strict, kw_only=True):
    instructions: list[Instruction]


class _Techniques(Strict, kw_only=True):
    techniques: list[Technique]


_FILES = {
    "sources.yaml": _Sources,
    "facts.yaml": _Facts,
    "rules.yaml": _Rules,
    "instructions.yaml": _Instructions,
    "techniques.yaml": _Techniques,
    "ingredients.yaml": Ingredients,
    "triage.yaml": Triage,
    "messages.yaml": Messages,
    "consent.yaml": Consent,
    "devices.yaml": Devices,
    "warning_signs.yaml": WarningSigns,
}


@lru_cache(maxsize=65536)
def normalize(term: str) -> str:
    """Case-, accent- and spacing-insensitive form of a substance name or free text."""
    import unicodedata

    term = term.replace("İ", "i").replace("ı", "i").casefold()
    term = unicodedata.normalize("NFKD", term)
    term = "".join(ch for ch in term if not unicodedata.combining(ch))
    return re.sub(r"[\s_]+", " ", term).strip()


@dataclass(frozen=True, slots=True, eq=False)  # compared and hashed by identity
class Knowledge:
    version: str
    sources: dict[str, Source]
    citations: dict[str, str]
    facts: dict[str, Fact]
    rules: dict[str, Rule]
    instructions: dict[str, Instruction]
    techniques: dict[str, Technique]
    substances: dict[str, Substance]
    classes: dict[str, IngredientClass]
    names: dict[str, str]  # normalized name -> substance id (brands of one substance too)
    brands: tuple[Brand, ...]  # brand and product names, what they are and their sources
    brand_names: dict[str, tuple[str, ...]]  # normalized brand name -> the substance ids it names
    class_names: dict[str, frozenset[str]]  # normalized name -> class ids
    devices: dict[str, Device]  # implanted electronic devices: id -> label and names per language
    device_names: dict[str, str]  # normalized device name (any language) -> device id
    refused_vehicles: frozenset[str]
    vehicle_sources: tuple[str, ...]
    triage: Triage
    messages: Messages
    consent: Consent
    product_classes: dict[str, Any]
    protocols: dict[str, Protocol]
    files: tuple[str, ...]
    signs: Any = None  # signs.Signs: the warning signs and their detector

    def cite(self, source_ids: list[str] | tuple[str, ...]) -> list[str]:
        return [self.citations[s] for s in source_ids]


class SafeFormat(dict):
    """Format parameters that leave an unknown {placeholder} visible instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def text(value: Text, lang: str) -> str:
    return value.get(lang) or value["en"]


def _citation(src: Source) -> str:
    parts = [src.title]
    if src.citation:
        parts.append(src.citation)
    if src.doi:
        parts.append(f"doi:{src.doi}")
    elif src.url:
        parts.append(src.url)
    head = [p if p[-1] in ".?!)" else p + "." for p in parts[:-1]]
    return " ".join([*head, parts[-1]])


def _read(path: Path, rel: str) -> Any:
    try:
        with path.open("rb") as fh:
            return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{rel}: not valid YAML: {exc}".replace("\n", " ")) from None


def _load(directory: Path) -> Knowledge:
    if not directory.is_dir():
        raise KnowledgeError(f"knowledge directory not found: {directory}")
    digest = hashlib.sha256()
    loaded: dict[str, Any] = {}
    raws: dict[str, Any] = {}
    paths = [directory / name for name in _FILES] + sorted((directory / "protocols").glob("*.yaml"))
    for path in paths:
        rel = path.relative_to(directory).as_posix()
        if not path.is_file():
            raise KnowledgeError(f"{rel}: missing")
        digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
        raw = _read(path, rel)
        _check_texts(raw, rel)
        raws[rel] = raw
        kind = _FILES.get(rel, Protocol)
        loaded[rel] = decode(raw, kind, rel)

    sources = _index(loaded["sources.yaml"].sources, "sources.yaml")
    for rel, raw in raws.items():
        _check_sources(raw, rel, sources)
    ing: Ingredients = loaded["ingredients.yaml"]
    classes = _index(ing.classes, "ingredients.yaml")
    k: dict[str, Any] = {
        "facts": _index(loaded["facts.yaml"].facts, "facts.yaml"),
        "rules": _index(loaded["rules.yaml"].rules, "rules.yaml"),
        "instructions": _index(loaded["instructions.yaml"].instructions, "instructions.yaml"),
        "techniques": _index(loaded["techniques.yaml"].techniques, "techniques.yaml"),
        "classes": classes,
    }
    _check_facts(k["facts"])
    for i, rule in enumerate(k["rules"].values()):
        _check_rule(rule, "rules.yaml", f"$.rules[{i}]", k)
    names: dict[str, str] = {}
    for sub in ing.substances:
        for cls in sub.classes:
            if cls not in classes:
                raise KnowledgeError(
                    f"ingredients.yaml: substance {sub.id!r} has unknown class {cls!r}"
                )
        for name in sub.names:
            key = normalize(name)
            if names.setdefault(key, sub.id) != sub.id:
                raise KnowledgeError(f"ingredients.yaml: name {name!r} belongs to two substances")
    substance_ids = {sub.id for sub in ing.substances}
    brands: dict[str, tuple[str, ...]] = {}
    for i, brand in enumerate(ing.brands):
        for sid in brand.substances:
            if sid not in substance_ids:
                raise KnowledgeError(
                    f"ingredients.yaml: unknown substance {sid!r} at $.brands[{i}].substances"
                )
        subs = tuple(dict.fromkeys(brand.substances))
        for name in brand.names:
            key = normalize(name)
            if brands.setdefault(key, subs) != subs or (key in names and (names[key],) != subs):
                raise KnowledgeError(
                    f"ingredients.yaml: brand name {name!r} names two different things"
                )
            if len(subs) == 1:
                names.setdefault(key, subs[0])
    class_names: dict[str, set[str]] = {}
    for cls in ing.classes:
        for name in [*cls.names, text(cls.label, "en")]:
            class_names.setdefault(normalize(name), set()).add(cls.id)
    triage: Triage = loaded["triage.yaml"]
    protocols = {}
    for rel, obj in loaded.items():
        if rel.startswith("protocols/"):
            _check_protocol(obj, rel, k)
            protocols[obj.id] = obj
    for i, rule in enumerate(triage.rules):
        for pid in rule.protocols or ():
            if pid not in protocols:
                raise KnowledgeError(
                    f"triage.yaml: unknown protocol {pid!r} at $.rules[{i}].protocols"
                )
    consent: Consent = loaded["consent.yaml"]
    for pid in consent.alternatives:
        if pid not in protocols:
            raise KnowledgeError(f"consent.yaml: unknown protocol {pid!r} at $.alternatives")
    devices = _index(loaded["devices.yaml"].devices, "devices.yaml")
    device_names: dict[str, str] = {}
    for dev in devices.values():
        for lang, words in dev.names.items():
            for name in words:
                key = normalize(name)
                if device_names.setdefault(key, dev.id) != dev.id:
                    raise KnowledgeError(
                        f"devices.yaml: name {name!r} ({lang}) belongs to two devices"
                    )
    product_classes = _index(consent.product_classes, "consent.yaml")
    for pc in product_classes.values():
        if pc.ingredient_class is not None and pc.ingredient_class not in classes:
            raise KnowledgeError(
                f"consent.yaml: unknown ingredient class {pc.ingredient_class!r} of product class {pc.id!r}"
            )
    from . import signs

    knowledge = Knowledge(
        version=digest.hexdigest()[:16],
        sources=sources,
        citations={sid: _citation(src) for sid, src in sources.items()},
        substances={s.id: s for s in ing.substances},
        names=names,
        brands=tuple(ing.brands),
        brand_names=brands,
        devices=devices,
        device_names=device_names,
        class_names={n: frozenset(c) for n, c in class_names.items()},
        refused_vehicles=frozenset(normalize(v) for v in ing.vehicles.refused),
        vehicle_sources=tuple(ing.vehicles.sources),
        triage=triage,
        messages=loaded["messages.yaml"],
        consent=consent,
        product_classes=product_classes,
        protocols={pid: protocols[pid] for pid in sorted(protocols, key=_protocol_order)},
        files=tuple(raws),
        signs=signs.build(loaded["warning_signs.yaml"]),
        **k,
    )
    signs.verify(knowledge)
    return knowledge


def _protocol_order(pid: str) -> tuple[int, str]:
    return (PROTOCOL_IDS.index(pid) if pid in PROTOCOL_IDS else len(PROTOCOL_IDS), pid)


def _index(items: list[Any], rel: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        if item.id in out:
            raise KnowledgeError(f"{rel}: duplicate id {item.id!r}")
        out[item.id] = item
    return out


def load(directory: Path | str | None = None) -> Knowledge:
    """The knowledge set in `directory` (default: the packaged one), validated."""
    if directory is None:
        return _default()
    return _load(Path(directory))


@cache
def _default() -> Knowledge:
    return _load(DEFAULT_DIR)
