"""Checks of the values the stock actions take: at the boundary, whoever calls them.
Each raises ValidationError keyed by the field name a form would use."""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.engine.knowledge import normalize

from . import rules

CLOCK_SLACK = dt.timedelta(minutes=5)  # tolerated clock difference between servers
MAX_QUANTITY = Decimal(10) ** 9


def ingredients(values) -> list[str]:
    out, seen = [], set()
    for value in values or ():
        name = " ".join(str(value).split())[:200]
        if name and normalize(name) not in seen:
            seen.add(normalize(name))
            out.append(name)
    return out


def quantity(value: Any, field: str = "quantity", *, signed: bool = False) -> Decimal:
    try:
        q = Decimal(str(value).strip())
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("Enter a number.")}) from None
    if not q.is_finite() or abs(q) >= MAX_QUANTITY:
        raise ValidationError({field: _("Enter a smaller number.")})
    if q != q.quantize(Decimal("0.001")):
        raise ValidationError({field: _("Give at most three decimals.")})
    if signed and q == 0:
        raise ValidationError({field: _("Enter a change other than zero.")})
    if not signed and q <= 0:
        raise ValidationError({field: _("Enter a quantity greater than zero.")})
    return q


def reason(value: Any, field: str = "reason", *, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: _("Give the reason.")})
    return text


def reference(value: Any) -> str:
    text = str(value or "").strip()
    if not text or len(text) > 100:
        raise ValidationError({"reference": _("A use needs a reference of up to 100 characters.")})
    return text


def moment(at: dt.datetime | None) -> dt.datetime:
    now = timezone.now()
    if at is None:
        return now
    rules.aware(at)
    if at > now + CLOCK_SLACK:
        raise ValidationError(_("Stock cannot move in the future."))
    return at
