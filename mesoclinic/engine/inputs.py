"""Typed inputs of the engine, checked at the boundary (../shared/contracts/cli.md).

Bad input raises InputError with a one-line message that names the field.
"""

import datetime as dt
import re
from functools import cache, lru_cache
from typing import Any, Literal

import msgspec
from msgspec import UNSET, Struct, UnsetType

from .knowledge import Knowledge
from .schema import Symptom

Severity = Literal["mild", "moderate", "severe"]


class InputError(ValueError):
    """Bad input; the message names the offending field."""

    def __init__(self, field: str, problem: str):
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}" if field else problem)


class Product(Struct, forbid_unknown_fields=True, frozen=True):
    name: str
    ingredients: list[str] = []
    vehicle: str | None = None


class TriageInput(Struct, forbid_unknown_fields=True, frozen=True):
    protocol: str
    hours_since_session: float
    severity: Severity
    fever: bool
    symptoms: list[Symptom]
    notes: str | None = None


_FACT_TYPES: dict[str, Any] = {
    "bool": bool | UnsetType,
    "date": dt.date | None | UnsetType,
    "date_or_null": dt.date | None | UnsetType,
    "substances": list[str] | UnsetType,
    "devices": list[str] | UnsetType,
}


@cache
def _patient_type(version: str, facts: tuple[tuple[str, str, tuple[str, ...]], ...]) -> type:
    fields = []
    for fid, ftype, values in facts:
        tp = Literal[values] | UnsetType if ftype == "enum" else _FACT_TYPES[ftype]  # type: ignore[valid-type]
        fields.append((fid, tp, UNSET))
    return msgspec.defstruct("Patient", fields, forbid_unknown_fields=True, frozen=True)


@cache
def _screen_type(patient: type) -> type:
    return msgspec.defstruct(
        "ScreenInput",
        [
            ("protocol", str),
            ("date", dt.date),
            ("patient", patient),
            ("products", list[Product] | None, None),
            ("last_sessions", dict[str, dt.date], {}),
        ],
        forbid_unknown_fields=True,
        frozen=True,
    )


@lru_cache(maxsize=16)
def screen_type(k: Knowledge) -> type:
    facts = tuple((f.id, f.type, tuple(f.values)) for f in k.facts.values())
    return _screen_type(_patient_type(k.version, facts))


_PATH = re.compile(r" - at `\$\.?([^`]*)`$")


def _message(exc: msgspec.MsgspecError) -> InputError:
    text = str(exc)
    m = _PATH.search(text)
    field = m.group(1) if m else ""
    problem = _PATH.sub("", text)
    unknown = re.match(r"Object contains unknown field `([^`]+)`", problem)
    if unknown:
        field = f"{field}.{unknown.group(1)}" if field else unknown.group(1)
        problem = "unknown field"
    missing = re.match(r"Object missing required field `([^`]+)`", problem)
    if missing:
        field = f"{field}.{missing.group(1)}" if field else missing.group(1)
        problem = "required field is missing"
    return InputError(field or "input", problem[0].lower() + problem[1:])


def parse(data: bytes | str | dict, kind: type) -> Any:
    """Decode JSON text or convert a parsed mapping into `kind`."""
    try:
        if isinstance(data, (bytes, str)):
            decoded = msgspec.json.decode(data, type=kind)
        else:
            decoded = msgspec.convert(data, type=kind)
    except msgspec.DecodeError as exc:
        if isinstance(exc, msgspec.ValidationError):
            raise _message(exc) from None
        raise InputError("input", f"not valid JSON ({exc})") from None
    _check_dates(decoded, "")
    return decoded


def protocol_of(k: Knowledge, protocol: str, field: str = "protocol"):
    try:
        return k.protocols[protocol]
    except KeyError:
        raise InputError(
            field, f"unknown protocol {protocol!r} (see `mesoclinic protocols`)"
        ) from None


FIRST_YEAR, LAST_YEAR = 1900, 2200  # a date outside these is a typing error, not a plan


def check_year(value: dt.date, field: str) -> dt.date:
    """A date a clinic could mean; year 9999 (or 0001) is refused, naming the field."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise InputError(
            field, f"{value.isoformat()} is outside the years {FIRST_YEAR} to {LAST_YEAR}"
        )
    return value


def _check_dates(value: Any, path: str) -> None:
    """Every date inside a decoded request, checked with check_year."""
    if isinstance(value, dt.date):
        check_year(value, path or "input")
    elif isinstance(value, Struct):
        for name in value.__struct_fields__:
            _check_dates(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_dates(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _check_dates(item, f"{path}[{i}]")


def parse_date(value: str, field: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InputError(field, f"{value!r} is not a date (YYYY-MM-DD)") from None
    return check_year(day, field)


def parse_aware_datetime(value: str, field: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise InputError(
            field, f"{value!r} is not a date and time (YYYY-MM-DDTHH:MM+01:00)"
        ) from None
    if moment.tzinfo is None:
        raise InputError(field, f"{value!r} has no UTC offset (add e.g. +03:00 or Z)")
    check_year(moment.date(), field)
    return moment
