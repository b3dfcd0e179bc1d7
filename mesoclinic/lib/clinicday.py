"""The clinic's day: the one place that decides what "today", "this week" and a local time
mean.

Every date a clinic works with is a date on the clinic's own clock (`Clinic.timezone`),
never the server's: the ready-to-treat gate, screening dates, the schedule, check-ins,
exports. The accounts middleware activates the clinic's zone for each request (templates
and Django's date filters then show the clinic's time); background tasks and commands
use `activated(clinic)`. Code that needs a date asks this module with the clinic in hand,
so the answer does not depend on what happens to be active.

Moments that come out of here are in UTC: Python adds a timedelta to a datetime in a
local zone on the wall clock (24 hours after Saturday 10:00 is Sunday 10:00 even when the
clocks went forward in between), so arithmetic on them is always elapsed time.

Model-free: `where` is a clinic (anything with a `timezone` attribute), a zone name or a
`tzinfo`; nothing here imports a model.
"""

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache, lru_cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

Where = Any  # a clinic, a zone name, or a tzinfo

_warned: set[str] = set()


# --- the zone ---------------------------------------------------------------------------


@cache
def zone_names() -> frozenset[str]:
    """Every IANA zone name this installation knows (the tzdata package's list)."""
    return frozenset(available_timezones())


def zone_choices() -> list[tuple[str, str]]:
    """Choices for a form field: every zone, by name."""
    return [(name, name.replace("_", " ")) for name in sorted(zone_names())]


def is_zone(name: Any) -> bool:
    return isinstance(name, str) and name in zone_names()


def validate_zone(value: Any) -> None:
    """A model field and form validator: `value` must be an IANA zone name."""
    if not is_zone(value):
        raise ValidationError(
            _("“%(value)s” is not a time zone. Choose one from the list, such as %(example)s."),
            code="invalid_time_zone",
            params={"value": value, "example": "Europe/Istanbul"},
        )


@lru_cache(maxsize=512)
def _named(name: str) -> ZoneInfo | None:
    return ZoneInfo(name) if is_zone(name) else None


def default_zone() -> ZoneInfo:
    """The installation's zone (settings.TIME_ZONE): only a fallback."""
    return ZoneInfo(settings.TIME_ZONE)


def zone(where: Where) -> dt.tzinfo:
    """The clinic's time zone. A stored value that is not a zone falls back to
    settings.TIME_ZONE, with a warning in the log (once per value)."""
    if isinstance(where, dt.tzinfo):
        return where
    if where is None:
        raise TypeError("the clinic's day needs a clinic, a zone name or a tzinfo")
    name = where if isinstance(where, str) else getattr(where, "timezone", None)
    found = _named(name) if isinstance(name, str) else None
    if found is not None:
        return found
    fallback = default_zone()
    if repr(name) not in _warned:
        _warned.add(repr(name))
        log.warning(
            "time zone %r (%s) is not a time zone: using %s instead",
            name,
            getattr(where, "name", "") or "no clinic",
            fallback.key,
        )
    return fallback


@contextmanager
def activated(where: Where) -> Iterator[dt.tzinfo]:
    """The clinic's zone as Django's current time zone for the block (background tasks,
    commands, the middleware): templates and date filters then show the clinic's time."""
    tz = zone(where)
    with timezone.override(tz):
        yield tz


# --- now and today ----------------------------------------------------------------------


def now() -> dt.datetime:
    """This moment (aware, UTC): the same everywhere; only its date depends on the clinic."""
    return timezone.now()


def today(where: Where) -> dt.date:
    """Today's date on the clinic's clock."""
    return local_date(now(), where)


def _aware(moment: dt.datetime) -> dt.datetime:
    if not isinstance(moment, dt.datetime) or timezone.is_naive(moment):
        raise ValueError("a time-zone-aware datetime is required")
    return moment


def local(moment: dt.datetime, where: Where = None) -> dt.datetime:
    """`moment` on the clinic's clock. Without `where`, on the active clock: the clinic's
    within a request (the middleware) or inside `activated` (for texts built where only a
    record is at hand, not its clinic)."""
    tz = timezone.get_current_timezone() if where is None else zone(where)
    return _aware(moment).astimezone(tz)


def local_date(moment: dt.datetime, where: Where) -> dt.date:
    """The clinic's date at `moment`."""
    return local(moment, where).date()


def local_text(moment: dt.datetime | None, where: Where = None) -> str:
    """The moment as "YYYY-MM-DD HH:MM" on the clinic's clock (exports and records, not
    people: see `shown`); "" for None. Without `where`, on the active clock (see `local`)."""
    return f"{local(moment, where):%Y-%m-%d %H:%M}" if moment is not None else ""


def shown(moment: dt.datetime | None, where: Where = None) -> str:
    """The moment as a person reads it, on the clinic's clock and in the active
    language's format ("5 December 2026 08:30", "5 Aralık 2026 08:30"); "" for None."""
    if moment is None:
        return ""
    return formats.date_format(local(moment, where), "DATETIME_FORMAT")


def shown_day(day: dt.date) -> str:
    """A day as a person reads it, in the active language ("5 December 2026")."""
    return formats.date_format(day, "DATE_FORMAT")


# --- days and weeks ---------------------------------------------------------------------


def day_start(day: dt.date, where: Where) -> dt.datetime:
    """The first moment (UTC) of the clinic's `day`. Where the clocks jump at midnight,
    that is the moment of the jump (the earliest reading of the day either way)."""
    return dt.datetime.combine(day, dt.time(0)).replace(tzinfo=zone(where)).astimezone(dt.UTC)


def day_end(day: dt.date, where: Where) -> dt.datetime:
    """The first moment after the clinic's `day` (exclusive), which may be 23 or 25 hours
    after its start on a day the clocks change."""
    return day_start(day + dt.timedelta(days=1), where)


def days_bounds(first: dt.date, days: int, where: Where) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of `days` clinic days from `first`."""
    return day_start(first, where), day_start(first + dt.timedelta(days=days), where)


def day_bounds(day: dt.date, where: Where) -> tuple[dt.datetime, dt.datetime]:
    return days_bounds(day, 1, where)


def week_start(day: dt.date) -> dt.date:
    """The Monday of `day`'s week."""
    return day - dt.timedelta(days=day.weekday())


def week_days(day: dt.date) -> list[dt.date]:
    """Monday to Sunday of `day`'s week."""
    monday = week_start(day)
    return [monday + dt.timedelta(days=i) for i in range(7)]


def week_bounds(day: dt.date, where: Where) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of the clinic's week (Monday to Sunday) holding `day`."""
    return days_bounds(week_start(day), 7, where)


# --- local date and time to a moment ----------------------------------------------------


class LocalTimeError(ValidationError):
    """A local date and time that the clinic's clock skips or shows twice."""


class NonexistentTime(LocalTimeError):
    """The clocks go forward over this time: it never appears on the clinic's clock."""


class AmbiguousTime(LocalTimeError):
    """The clocks go back over this time: it appears twice on the clinic's clock."""


def aware(day: dt.date, at: dt.time, where: Where, *, strict: bool = True) -> dt.datetime:
    """The moment (UTC) the clinic's clock reads `at` on `day`.

    On a day the clocks change, a time they skip raises NonexistentTime and a time they
    show twice raises AmbiguousTime (both ValidationErrors with a message for the user).
    With strict=False (times the software chooses, never a person) a skipped time moves
    forward by the jump and a repeated time is its first reading."""
    tz = zone(where)
    naive = dt.datetime.combine(day, at.replace(tzinfo=None, fold=0))
    first = naive.replace(tzinfo=tz)
    if not strict or first.utcoffset() == naive.replace(tzinfo=tz, fold=1).utcoffset():
        return first.astimezone(dt.UTC)
    params = {
        "date": shown_day(day),
        "time": f"{at:%H:%M}",
        "zone": getattr(tz, "key", str(tz)),
    }
    if first.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) != naive:
        raise NonexistentTime(
            _(
                "%(time)s on %(date)s does not exist in %(zone)s: the clocks go forward "
                "then. Choose a time after the change."
            ),
            code="nonexistent_time",
            params=params,
        )
    raise AmbiguousTime(
        _(
            "%(time)s on %(date)s happens twice in %(zone)s: the clocks go back then. "
            "Choose a time outside the repeated hour."
        ),
        code="ambiguous_time",
        params=params,
    )


def days_later(moment: dt.datetime, days: int, where: Where) -> dt.datetime:
    """The same reading of the clinic's clock `days` calendar days after `moment` (a
    check-in on day 2 comes at the hour the session ended, whatever the clocks did)."""
    moment = local(moment, where)
    return aware(moment.date() + dt.timedelta(days=days), moment.time(), where, strict=False)


def as_local(value: dt.datetime, where: Where) -> dt.datetime:
    """A date and time typed for the clinic: its wall-clock reading on the clinic's clock,
    whatever zone a form parsed it in (strict, as `aware`)."""
    return aware(value.date(), value.time(), where)


# --- dates typed in forms ---------------------------------------------------------------


def check_date(
    day: dt.date,
    where: Where,
    *,
    back: int | None = None,
    ahead: int | None = None,
    too_early: str | None = None,
    too_late: str | None = None,
) -> dt.date:
    """`day`, if it lies between `back` days before and `ahead` days after the clinic's
    today (None: no limit); else a ValidationError naming the problem. For a form's
    clean_<field>."""
    now_day = today(where)
    if back is not None and day < now_day - dt.timedelta(days=back):
        earliest = now_day - dt.timedelta(days=back)
        raise ValidationError(
            too_early
            or (
                _("This date is in the past.")
                if back == 0
                else _("This date is too far back: the earliest is %(date)s.")
                % {"date": shown_day(earliest)}
            ),
            code="too_early",
        )
    if ahead is not None and day > now_day + dt.timedelta(days=ahead):
        latest = now_day + dt.timedelta(days=ahead)
        raise ValidationError(
            too_late
            or (
                _("This date is in the future.")
                if ahead == 0
                else _("This date is too far ahead: the latest is %(date)s.")
                % {"date": shown_day(latest)}
            ),
            code="too_late",
        )
    return day


def not_past(day: dt.date, where: Where, message: str | None = None) -> dt.date:
    """`day`, unless it is before the clinic's today."""
    return check_date(day, where, back=0, too_early=message)


def not_future(
    day: dt.date, where: Where, message: str | None = None, *, slack: int = 0
) -> dt.date:
    """`day`, unless it is after the clinic's today (plus `slack` days)."""
    return check_date(day, where, ahead=slack, too_late=message)
