"""Bounds of the dates people type: how far ahead a plan may start or a visit be booked,
and which dates a medical history may hold. The clinic's today comes from clinicday."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import clinicday

PLAN_START_AHEAD_DAYS = 366  # a plan starts within about a year (as a screening's date)
BOOKING_AHEAD_DAYS = 731  # a visit is booked within about two years


def plan_start_error(start: dt.date, today: dt.date) -> str | None:
    """Why a plan may not start on `start`, or None."""
    if start > today + dt.timedelta(days=PLAN_START_AHEAD_DAYS):
        latest = today + dt.timedelta(days=PLAN_START_AHEAD_DAYS)
        return _(
            "The first session is more than a year ahead: plan from a date up to %(date)s."
        ) % {"date": clinicday.shown_day(latest)}
    return None


def booking_error(day: dt.date, today: dt.date) -> str | None:
    """Why a visit may not be booked on `day`, or None."""
    if day > today + dt.timedelta(days=BOOKING_AHEAD_DAYS):
        latest = today + dt.timedelta(days=BOOKING_AHEAD_DAYS)
        return _("This date is more than two years ahead: book a visit up to %(date)s.") % {
            "date": clinicday.shown_day(latest)
        }
    return None


def history_date_error(
    day: dt.date, today: dt.date, birth_date: dt.date | None = None
) -> str | None:
    """Why a date of the medical history (a last dose, a last filler) cannot be right:
    after today, or before the patient was born. None when it can."""
    if day > today:
        return _("This date is in the future.")
    if birth_date is not None and day < birth_date:
        return _("This date is before the birth date (%(birth)s): check the year.") % {
            "birth": clinicday.shown_day(birth_date)
        }
    return None


def check_booking(day: dt.date, where) -> dt.date:
    """`day`, if a visit may be booked on it; else a ValidationError naming the problem."""
    error = booking_error(day, clinicday.today(where))
    if error:
        raise ValidationError(error, code="too_late")
    return day
