"""The shape of the knowledge files (floor 1), checked when they are loaded.

Every clinical statement carries `sources` (ids from sources.yaml). Where sources
disagree, the stricter value is the default and the others are kept beside it as
`alternatives`, so a reviewer sees both.
"""

from typing import Literal

import msgspec
from msgspec import Struct, field

Text = dict[str, str]  # language code -> text; "en" is required


class Strict(Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    pass


SourceKind = Literal[
    "article",  # one of the five patient-education articles the product started from
    "peer-reviewed",
    "consensus",
    "regulator",
    "industry",
    "clinic-page",
    "reference",
    "synthesis",
]


class Source(Strict, kw_only=True):
    id: str
    kind: SourceKind
    title: str
    citation: str | None = None
    year: int | None = None
    doi: str | None = None
    url: str | None = None
    seed: str | None = None
    verify: bool = False  # marked [VERIFY] in the evidence review: check the primary text
    note: str | None = None


class Span(Strict, kw_only=True):
    min: int
    max: int


class Alternative(Strict, kw_only=True):
    """What a disagreeing source says; cited beside the (stricter) default. A structured
    value (sessions, interval_days or hours) lets patient texts show it beside the default."""

    says: str
    sources: list[str]
    sessions: Span | None = None
    interval_days: Span | None = None
    hours: Span | None = None


class Fact(Strict, kw_only=True):
    id: str
    type: Literal["bool", "date", "date_or_null", "enum", "substances", "devices"]
    values: list[str] = []  # enum values, least to most risky
    label: Text
    question: Text
    # timing facts: an absent answer does not change the decision; an `eligible` finding
    # says the question was not asked
    optional: bool = False
    ahead: bool = False  # a date_or_null fact that names a planned (future) date
    implies: str | None = None  # devices: a recognised device answers this bool fact yes


class Window(Strict, kw_only=True):
    """The protocol's own instruction periods around a session, by instruction id: the
    pre-treatment item `before` the date, the aftercare item `after` it."""

    before: str | None = None
    after: str | None = None


class When(Strict, kw_only=True):
    """A condition; every part that is given must hold."""

    fact: str | None = None
    equals: bool | None = None
    in_: list[str] | None = field(default=None, name="in")
    within_days: int | None = None  # a date fact lies less than N days before the date
    window: Window | None = None  # a date fact lies inside the protocol's window
    age_below: int | None = None  # reads birth_date
    ingredient_class: str | None = None  # a planned product contains such an ingredient
    allergy_match: bool | None = None  # a patient allergy matches a planned ingredient
    allergy_class: list[str] | None = None  # a patient allergy names one of these classes
    no_products: bool | None = None  # the request lists no planned products
    device_unrecognised: bool | None = None  # an implanted device the knowledge does not know
    vehicle_refused: bool | None = None  # a planned product has a refused vehicle
    recent_class_session_days: int | None = None  # with ingredient_class: last such session


class Rule(Strict, kw_only=True):
    id: str
    decision: Literal["contraindicated", "review", "defer"]
    when: When | None = None
    any: list[When] | None = None
    reason: Text
    sources: list[str]
    alternatives: list[Alternative] = []
    note: str | None = None


class Range(Strict, kw_only=True):
    min: int
    max: int
    default: int


class Sourced(Strict, kw_only=True):
    value: int
    sources: list[str]
    alternatives: list[Alternative] = []
    note: str | None = None


class AnaestheticCream(Strict, kw_only=True):
    lead_minutes: Range
    sources: list[str]
    alternatives: list[Alternative] = []
    note: str | None = None


class Series(Strict, kw_only=True):
    sessions: Range
    interval_days: Range
    sources: list[str]
    alternatives: list[Alternative] = []
    note: str | None = None


class Maintenance(Strict, kw_only=True):
    every_days: Range
    sources: list[str]
    alternatives: list[Alternative] = []
    note: str | None = None


class Indication(Strict, kw_only=True):
    text: Text
    sources: list[str]


class DepthRange(Strict, kw_only=True):
    min: float
    max: float


class Technique(Strict, kw_only=True):
    id: str
    label: Text
    description: Text
    depth_mm: DepthRange
    sources: list[str]
    alternatives: list[Alternative] = []
    note: str | None = None


class Zone(Strict, kw_only=True):
    id: str
    label: Text
    region: Literal["face", "neck", "chest", "hands", "scalp", "body"]
    depth_mm: DepthRange
    techniques: list[str]
    sources: list[str]
    snomed: str | None = None
    note: str | None = None


class Stage(Strict, kw_only=True):
    number: int
    name: Text
    description: Text
    zones: list[str]
    techniques: list[str]
    depth_mm: DepthRange | None = None
    requires_physician: bool = False
    sources: list[str]
    note: str | None = None


class InstructionRef(Strict, kw_only=True):
    """A pre-treatment instruction or aftercare item used by a protocol."""

    item: str
    hours: int | None = None  # how long before (pre-treatment) or after (aftercare)
    text: Text | None = None  # protocol-specific wording; else the library text
    sources: list[str]
    alternatives: list[Alternative] = []
    note: str | None = None


Symptom = Literal[
    "redness",
    "swelling",
    "bruising",
    "itching",
    "mild_pain",
    "burning",
    "sensitivity",
    "hives",
    "lip_or_tongue_swelling",
    "breathing_difficulty",
    "blanching",
    "dusky_discoloration",
    "severe_pain",
    "pus",
    "warmth_spreading",
    "nodules",
    "blistering",
    "hyperpigmentation",
    "vision_change",
    "other",
]
SYMPTOMS: tuple[str, ...] = Symptom.__args__  # type: ignore[attr-defined]

Level = Literal["expected", "contact_clinic", "urgent", "emergency"]
LEVELS: tuple[str, ...] = Level.__args__  # type: ignore[attr-defined]


class ExpectedReaction(Strict, kw_only=True):
    symptom: Symptom
    usual_hours: int  # how long it usually lasts; longer than this is not "expected"
    minutes: Span | None = None  # a short sensation: how many minutes it usually lasts
    text: Text
    sources: list[str]
    alternatives: list[Alternative] = []


class RedFlag(Strict, kw_only=True):
    """A warning sign told to the patient of a protocol. `sign` names an entry of
    warning_signs.yaml, whose level (and so action) it takes; its text and sources default
    to the sign's. A flag with no `sign` is the protocol's own and gives its level."""

    id: str
    sign: str | None = None
    text: Text | None = None
    level: Level | None = None
    sources: list[str] = []


class Checkins(Strict, kw_only=True):
    """Follow-up check-ins, in days after each session."""

    days: list[int]
    sources: list[str]
    note: str | None = None


class Protocol(Strict, kw_only=True):
    id: str
    title: Text
    region: Literal["face", "neck", "chest", "hands", "scalp", "body", "mixed"]
    indications: list[Indication]
    session_minutes: Sourced
    anaesthetic_cream: AnaestheticCream | None
    series: Series
    maintenance: Maintenance
    stages: list[Stage]
    zones: list[Zone]
    techniques: list[str]
    pre_treatment: list[InstructionRef]
    contraindications: list[str]  # rule ids from rules.yaml
    own_rules: list[Rule] = []  # rules only this protocol has
    ingredient_rules: list[str]  # rule ids from rules.yaml that read planned products
    aftercare: list[InstructionRef]
    expected_reactions: list[ExpectedReaction]
    red_flags: list[RedFlag]
    checkins: Checkins
    photo_views: list[Literal["front", "left45", "right45", "vertex", "hairline", "body"]]
    sources: list[str]  # the protocol's main sources
    note: str | None = None


class Instruction(Strict, kw_only=True):
    id: str
    kind: Literal["pre", "after"]
    text: Text  # may use {duration}
    label: Text


class Substance(Strict, kw_only=True):
    id: str
    names: list[str]
    classes: list[str] = []


class IngredientClass(Strict, kw_only=True):
    id: str
    label: Text
    names: list[str] = []  # words a patient may write for the whole class ("NSAIDs")
    min_interval_days: int | None = None
    sources: list[str] = []
    note: str | None = None


class Brand(Strict, kw_only=True):
    """A brand or product name and the substances it names (a combination names each)."""

    names: list[str]
    substances: list[str]
    note: str  # what it is
    sources: list[str] = []


class Vehicles(Strict, kw_only=True):
    refused: list[str]
    sources: list[str]


class Ingredients(Strict, kw_only=True):
    substances: list[Substance]
    brands: list[Brand] = []
    classes: list[IngredientClass]
    vehicles: Vehicles


class Device(Strict, kw_only=True):
    """An implanted electronic device and the names patients use for it, per language."""

    id: str
    label: Text
    names: dict[str, list[str]]  # language -> names
    note: str | None = None
    sources: list[str]


class Devices(Strict, kw_only=True):
    devices: list[Device]


class TriageWhen(Strict, kw_only=True):
    symptoms_any: list[Symptom] | None = None
    fever: bool | None = None
    severity_in: list[Literal["mild", "moderate", "severe"]] | None = None
    min_hours: int | None = None  # at least this many hours after the session
    expected_exceeded: bool | None = None  # an expected reaction lasts longer than usual
    unexpected: bool | None = None  # a mild symptom that is not expected after this protocol


class TriageRule(Strict, kw_only=True):
    id: str
    level: Level
    when: TriageWhen
    reason: Text
    sources: list[str]
    protocols: list[str] | None = None  # None: every protocol


class Triage(Strict, kw_only=True):
    advice: dict[str, Text]  # level -> what to do
    rules: list[TriageRule]


class Words(Strict, kw_only=True):
    """Words or patterns per language."""

    en: list[str] = []
    tr: list[str] = []


class Negation(Strict, kw_only=True):
    before: Words
    after: Words
    breaks: Words


class Cues(Strict, kw_only=True):
    before: Words
    after: Words


class SignPart(Strict, kw_only=True):
    """One way a patient describes a warning sign, in English and Turkish wordings."""

    id: str
    name: Text
    en: list[str] = []
    tr: list[str] = []
    level: Level | None = None  # None: the sign's
    symptom: Symptom | None = None  # the triage symptom it reads as; None: the sign's
    fever: bool = False  # it reads as a fever
    after_session: bool = False  # in a question, only when it came after a session


class WarningSign(Strict, kw_only=True):
    id: str
    level: Level
    symptom: Symptom
    name: Text
    text: Text  # how consent, aftercare and articles name it
    reason: Text  # why it matters
    sources: list[str]
    parts: list[SignPart]


class WarningSigns(Strict, kw_only=True):
    said: Text  # a reason line: "Your own words “{words}” are a warning sign: {part}."
    negation: Negation
    ignore: Words
    not_typos: Words
    cues: Cues
    signs: list[WarningSign]


class ProductClass(Strict, kw_only=True):
    """A kind of product a clinic stocks; consent is given per protocol and product class."""

    id: str
    label: Text
    ingredient_class: str | None = None  # its ingredients belong to this class
    prescription_only: bool = False
    note: str | None = None


class SourcedText(Strict, kw_only=True):
    id: str
    text: Text
    sources: list[str]


class Consent(Strict, kw_only=True):
    """What every consent form says besides the protocol's own procedure and reactions."""

    evidence: SourcedText  # what the evidence does and does not show
    risks: list[SourcedText]  # risks common to every protocol
    alternatives: dict[str, list[SourcedText]]  # protocol id -> alternatives
    product_classes: list[ProductClass]


class Messages(Strict, kw_only=True):
    """Engine phrasing kept as data so every language lives in one place."""

    texts: dict[str, Text]
    units: dict[str, dict[str, list[str]]]  # lang -> unit -> [singular, plural]
    symptoms: dict[Symptom, Text]  # the triage vocabulary in plain words


def decode(data: object, kind: type, where: str) -> object:
    """Convert parsed YAML into `kind`, naming the file and field on error."""
    try:
        return msgspec.convert(data, type=kind, strict=True)
    except msgspec.ValidationError as exc:
        raise KnowledgeError(f"{where}: {exc}") from None


class KnowledgeError(Exception):
    """A knowledge file is broken; the message names the file and the field."""
