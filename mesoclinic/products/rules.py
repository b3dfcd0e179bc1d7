"""The rules of products and lots, as pure functions of records (no queries, no clock).

Charting calls `unusable_reasons(lot, at)` and must refuse the lot when the list is not
empty; the stock actions call it too, so there is one copy of the rule.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mesoclinic.engine.knowledge import Knowledge, SafeFormat, load, normalize, text
from mesoclinic.engine.screening import ingredient_classes
from mesoclinic.lib import clinicday
from mesoclinic.lib.language import language

from .models import Lot

# Product classes applied on intact skin, never into it: the refused-vehicle rule (oil- or
# alcohol-based substances are never injected) does not apply to them. The knowledge
# files do not say how a product class is applied, so the list lives here.
TOPICAL_CLASSES = frozenset({"anaesthetic-cream"})

USABLE = "usable"
EXPIRED = "expired"
DISCARDED = "discarded"
RECALLED = "recalled"
EMPTY = "empty"
STATUS_LABELS = {
    USABLE: gettext_lazy("Usable"),
    EXPIRED: gettext_lazy("Expired"),
    DISCARDED: gettext_lazy("Discarded"),
    RECALLED: gettext_lazy("Recalled"),
    EMPTY: gettext_lazy("Empty"),
}
STATUS_BADGES = {
    USABLE: "ok",
    EMPTY: "warn",
    EXPIRED: "danger",
    DISCARDED: "danger",
    RECALLED: "danger",
}


def aware(at: Any) -> dt.datetime:
    if not isinstance(at, dt.datetime) or timezone.is_naive(at):
        raise ValueError("a time-zone-aware datetime is required")
    return at


def quantity_text(q: Decimal) -> str:
    """2.500 -> "2.5", 100.000 -> "100"."""
    return format(q.normalize(), "f") if q == q.to_integral() else format(q, "f").rstrip("0")


def day_text(day: dt.date) -> str:
    return date_format(day, "Y-m-d")


# --- products -------------------------------------------------------------------------


def is_prescription_only(product_class: str, k: Knowledge | None = None) -> bool:
    pc = (k or load()).product_classes.get(product_class)
    return bool(pc and pc.prescription_only)


def recognised_classes(ingredients: list[str], k: Knowledge | None = None) -> list[str]:
    """Labels of the ingredient classes (e.g. lipolytic) that screening finds in a list."""
    k = k or load()
    found = ingredient_classes(k, ingredients)
    return [text(k.classes[c].label, language()) for c in sorted(found)]


def vehicle_refusal(
    product_class: str, vehicle: str, name: str = "", k: Knowledge | None = None
) -> str | None:
    """Why a product of this class may not have this vehicle, with its source; or None."""
    k = k or load()
    if product_class in TOPICAL_CLASSES or normalize(vehicle or "") not in k.refused_vehicles:
        return None
    rule = k.rules.get("refused-vehicle")
    product = name or _("This product")
    if rule is not None:
        why = text(rule.reason, language()).format_map(SafeFormat(product=product))
    else:
        why = _("%(product)s is oil- or alcohol-based: such substances are never injected.") % {
            "product": product
        }
    return _("%(why)s Source: %(sources)s") % {
        "why": why,
        "sources": "; ".join(k.cite(k.vehicle_sources)),
    }


def product_problems(data: dict[str, Any], k: Knowledge | None = None) -> dict[str, str]:
    """What is wrong with a product's data, by field name; empty when it may be saved."""
    k = k or load()
    problems: dict[str, str] = {}
    name = (data.get("name") or "").strip()
    if not name:
        problems["name"] = _("Give the product's name.")
    pc = k.product_classes.get(data.get("product_class") or "")
    if pc is None:
        problems["product_class"] = _("Choose a product class from the list.")
    vehicle = data.get("vehicle") or ""
    if pc is not None and (why := vehicle_refusal(pc.id, vehicle, name, k)):
        problems["vehicle"] = why
    ingredients = data.get("ingredients") or []
    if not ingredients:
        problems["ingredients"] = _(
            "List the ingredients, one per line: allergy screening checks each of them."
        )
    elif pc is not None and pc.ingredient_class not in (None, *ingredient_classes(k, ingredients)):
        cls = pc.ingredient_class
        names = sorted(n for n, sub in k.names.items() if cls in k.substances[sub].classes)
        problems["ingredients"] = _(
            "No ingredient is recognised as %(cls)s, so the screening rules for such "
            "products would not apply. Name it as on the label (known names: %(names)s)."
        ) % {"cls": text(k.classes[cls].label, language()), "names": ", ".join(names)}
    minutes = data.get("patch_test_reading_minutes")
    if minutes is not None and minutes <= 0:
        problems["patch_test_reading_minutes"] = _(
            "Give the minutes after which the patch test is read, or leave it empty when "
            "this product needs no patch test."
        )
    hours = data.get("discard_after_opening_hours")
    if data.get("multi_dose"):
        if not hours or hours <= 0:
            problems["discard_after_opening_hours"] = _(
                "A multi-dose vial must be discarded a set time after opening: give the hours."
            )
    elif hours is not None:
        problems["discard_after_opening_hours"] = _(
            "Only a multi-dose vial has a discard time after opening: leave this empty, or "
            "tick “multi-dose vial”."
        )
    threshold = data.get("low_stock_threshold")
    if threshold is not None and Decimal(threshold) < 0:
        problems["low_stock_threshold"] = _("The threshold cannot be negative.")
    return problems


# --- lots -----------------------------------------------------------------------------


def unusable_reasons(lot: Lot, at: dt.datetime) -> list[str]:
    """Why `lot` may not be used (charted) at `at`, in plain words; empty when it may.

    Judged as of `at`: a use charted later for an earlier time is judged by that time.
    Reads lot.product.clinic (for the clinic's calendar day): pass a lot from
    `access.get_lot`/`access.lots_by_code`, which load them with the lot.
    """
    aware(at)
    clinic = lot.product.clinic
    reasons = []
    if lot.recalled_at is not None and lot.recalled_at <= at:
        reasons.append(
            _("Recalled on %(date)s: %(reason)s")
            % {
                "date": day_text(clinicday.local_date(lot.recalled_at, clinic)),
                "reason": lot.recall_reason,
            }
        )
    if lot.discarded_at is not None and lot.discarded_at <= at:
        reasons.append(
            _("Discarded on %(date)s.") % {"date": clinicday.local_text(lot.discarded_at, clinic)}
        )
    elif lot.discard_by is not None and lot.discard_by <= at:
        reasons.append(
            _("To be discarded since %(time)s (multi-dose vial opened on %(opened)s).")
            % {
                "time": clinicday.local_text(lot.discard_by, clinic),
                "opened": clinicday.local_text(lot.opened_at, clinic),
            }
        )
    if clinicday.local_date(at, clinic) > lot.expiry:
        reasons.append(_("Expired: its expiry date was %(date)s.") % {"date": day_text(lot.expiry)})
    if lot.quantity_remaining <= 0 and lot.discarded_at is None:
        reasons.append(_("Nothing is left of this lot."))
    return reasons


def lot_status(lot: Lot, at: dt.datetime) -> str:
    """USABLE, or the weightiest reason it is not: RECALLED, DISCARDED, EXPIRED, EMPTY."""
    aware(at)
    if lot.recalled_at is not None and lot.recalled_at <= at:
        return RECALLED
    if (lot.discarded_at is not None and lot.discarded_at <= at) or (
        lot.discard_by is not None and lot.discard_by <= at
    ):
        return DISCARDED
    if clinicday.local_date(at, lot.product.clinic) > lot.expiry:
        return EXPIRED
    if lot.quantity_remaining <= 0:
        return EMPTY
    return USABLE


def discard_time(opened_at: dt.datetime, hours: int) -> dt.datetime:
    return aware(opened_at) + dt.timedelta(hours=hours)
