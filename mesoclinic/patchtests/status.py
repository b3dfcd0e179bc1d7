"""What a patch test means for treatment. Pure functions over lists of tests: no queries.

A positive test blocks treatment with what it tested. An unread test blocks too, unless a
later test of the same product or substance was read negative.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from mesoclinic.engine.knowledge import load, normalize
from mesoclinic.lib import clinicday
from mesoclinic.lib.titles import class_label

from .models import PatchTest, Result

MAX_READING_MINUTES = 14 * 24 * 60


class State(StrEnum):
    WAITING = "waiting"  # applied; its reading time has not come yet
    READY = "ready"  # may be read now
    NEGATIVE = "negative"
    POSITIVE = "positive"


@dataclass(frozen=True)
class Block:
    test: PatchTest
    reason: str

    @property
    def what(self) -> str:
        return describe(self.test)


def when(moment: dt.datetime) -> str:
    return clinicday.shown(moment)  # the active clock: the clinic's


def state(test: PatchTest, now: dt.datetime) -> State:
    if test.result == Result.POSITIVE:
        return State.POSITIVE
    if test.result == Result.NEGATIVE:
        return State.NEGATIVE
    return State.READY if now >= test.read_not_before else State.WAITING


def describe(test: PatchTest) -> str:
    """The substance, with its product class when one was given."""
    if test.product_class:
        return f"{test.substance} ({class_label(test.product_class)})"
    return test.substance


def substance_key(name: str) -> str:
    """Names of one substance compare equal ("Lidocaine", "lignocaine")."""
    key = normalize(name)
    return load().names.get(key, key)


def _group(test: PatchTest) -> tuple[str, str]:
    return substance_key(test.substance), test.product_class


def _reason(test: PatchTest) -> str | None:
    if test.result == Result.POSITIVE:
        return _("Positive patch test to %(what)s, read %(when)s: do not treat with it.") % {
            "what": describe(test),
            "when": when(test.read_at),
        }
    if test.result == Result.PENDING:
        return _("The patch test to %(what)s is not read yet (it can be read from %(when)s).") % {
            "what": describe(test),
            "when": when(test.read_not_before),
        }
    return None


def _superseded(test: PatchTest, tests: list[PatchTest]) -> bool:
    """An unread test stops counting once a later test of the same thing was read negative."""
    return any(
        other.result == Result.NEGATIVE
        and other.applied_at > test.applied_at
        and _group(other) == _group(test)
        for other in tests
    )


def live(tests: Iterable[PatchTest]) -> list[PatchTest]:
    """The tests that count: a voided test (entered by mistake) counts for nothing."""
    return [t for t in tests if not t.is_voided]


def blocking_tests(tests: Iterable[PatchTest]) -> list[Block]:
    """Every test that blocks treatment with what it tested."""
    tests = live(tests)
    blocks = []
    for test in tests:
        reason = _reason(test)
        if reason and not (test.result == Result.PENDING and _superseded(test, tests)):
            blocks.append(Block(test, reason))
    return blocks


def matching(tests: Iterable[PatchTest], substance: str = "", product_class: str = ""):
    """The tests of a product: same substance (any spelling the knowledge base knows) or
    same product class."""
    key = substance_key(substance) if substance.strip() else None
    return [
        t
        for t in live(tests)
        if (key and substance_key(t.substance) == key)
        or (product_class and t.product_class == product_class)
    ]


def blocks_product(
    tests: Iterable[PatchTest], substance: str = "", product_class: str = ""
) -> list[Block]:
    """The tests that block treatment with a product. Empty: nothing blocks it."""
    return blocking_tests(matching(tests, substance, product_class))


def cleared(tests: Iterable[PatchTest], substance: str = "", product_class: str = "") -> bool:
    """A read, negative test covers the product and no test blocks it."""
    tests = matching(tests, substance, product_class)
    return any(t.result == Result.NEGATIVE for t in tests) and not blocking_tests(tests)


def application_errors(applied_at: dt.datetime, reading_minutes: int, now: dt.datetime):
    """Field -> message for a test that may not be recorded."""
    errors = {}
    if applied_at > now:
        errors["applied_at"] = _("The time the test was applied is in the future.")
    if not 0 < reading_minutes <= MAX_READING_MINUTES:
        errors["reading_time"] = _(
            "Give the product's reading time: more than 0 minutes and at most 14 days."
        )
    return errors


MIN_VOID_REASON = 10


def void_errors(test: PatchTest, reason: str) -> dict[str, str]:
    """Field -> message for a void that may not be recorded."""
    if test.is_voided:
        return {"__all__": _("This patch test is already voided.")}
    if len((reason or "").strip()) < MIN_VOID_REASON:
        return {
            "reason": _("Say what was wrong with this entry (at least %(n)s characters).")
            % {"n": MIN_VOID_REASON}
        }
    return {}


def reading_errors(
    test: PatchTest, read_at: dt.datetime | None, now: dt.datetime
) -> dict[str, str]:
    """Field -> message for a reading that may not be recorded (None: not given yet)."""
    if test.is_voided:
        return {"__all__": _("This patch test was voided; record a new test.")}
    if test.is_read:
        return {"__all__": _("This patch test has already been read; record a new test.")}
    if read_at is None:
        return {}
    if read_at > now:
        return {"read_at": _("The reading time is in the future.")}
    if read_at < test.read_not_before:
        return {
            "read_at": _("Too early: this test can be read from %(when)s.")
            % {"when": when(test.read_not_before)}
        }
    return {}


def refuse(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError({f: [m] for f, m in errors.items()})
