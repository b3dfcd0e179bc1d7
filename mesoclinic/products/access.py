"""Every read of products, lots and stock moves, scoped to the actor's clinic.

Products hold no patient data, so reads are not audited; who used which lot for which
patient is recorded by the charting code (its references are on the stock moves).
"""

import datetime as dt
import uuid
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from mesoclinic.accounts.actor import Actor
from mesoclinic.lib import clinicday

from . import rules
from .models import QUANTITY, Lot, Product, StockMove

# The rule of usability, for other apps (which read this app through access/actions only):
# charting must refuse a lot while unusable_reasons(lot, at) is not empty.
unusable_reasons = rules.unusable_reasons
lot_status = rules.lot_status


def products_for(actor: Actor) -> QuerySet[Product]:
    return Product.objects.filter(clinic=actor.clinic)


def _lots(actor: Actor) -> QuerySet[Lot]:
    return Lot.objects.filter(product__clinic=actor.clinic).select_related("product__clinic")


def usable_q(actor: Actor, at: dt.datetime, prefix: str = "") -> Q:
    """The database form of `rules.unusable_reasons(lot, at) == []` (`prefix` = "lots__"
    from a product)."""
    p = prefix
    return (
        (Q(**{f"{p}recalled_at__isnull": True}) | Q(**{f"{p}recalled_at__gt": at}))
        & (Q(**{f"{p}discarded_at__isnull": True}) | Q(**{f"{p}discarded_at__gt": at}))
        & (Q(**{f"{p}discard_by__isnull": True}) | Q(**{f"{p}discard_by__gt": at}))
        & Q(**{f"{p}expiry__gte": clinicday.local_date(at, actor.clinic)})
        & Q(**{f"{p}quantity_remaining__gt": 0})
    )


def _with_stock(actor: Actor, qs: QuerySet[Product], at: dt.datetime) -> QuerySet[Product]:
    """Products annotated with `usable_remaining` (sum over usable lots) and `lot_count`."""
    zero = Value(Decimal(0), output_field=DecimalField(**QUANTITY))
    return qs.annotate(
        usable_remaining=Coalesce(
            Sum("lots__quantity_remaining", filter=usable_q(actor, at, "lots__")), zero
        ),
        usable_lots=Count("lots", filter=usable_q(actor, at, "lots__")),
        lot_count=Count("lots"),
    )


def catalogue(actor: Actor, at: dt.datetime | None = None) -> list[Product]:
    """The clinic's products, in use first, each with its usable stock: one query."""
    actor.require("view_stock")
    at = rules.aware(at) if at else timezone.now()
    qs = products_for(actor).order_by("-is_active", "name", "maker", "id")
    return list(_with_stock(actor, qs, at))


def low_stock(actor: Actor, at: dt.datetime | None = None) -> list[Product]:
    """Products in use whose usable stock (lots neither recalled, discarded, expired nor
    empty) is below their threshold, emptiest first: one query."""
    actor.require("view_stock")
    at = rules.aware(at) if at else timezone.now()
    qs = products_for(actor).filter(is_active=True, low_stock_threshold__gt=0)
    return list(
        _with_stock(actor, qs, at)
        .filter(usable_remaining__lt=F("low_stock_threshold"))
        .order_by("usable_remaining", "name", "id")
    )


def get_product(actor: Actor, code) -> Product:
    """The product with this public code in the actor's clinic, or 404."""
    actor.require("view_stock")
    try:
        return products_for(actor).select_related("clinic").get(code=code)
    except (Product.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404("no such product") from None


def get_lot(actor: Actor, code) -> Lot:
    """The lot with this public code in the actor's clinic (with its product and clinic
    loaded, as `rules.unusable_reasons` needs), or 404."""
    actor.require("view_stock")
    try:
        return _lots(actor).get(code=code)
    except (Lot.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404("no such lot") from None


def lots_by_code(actor: Actor, codes: Iterable) -> dict[uuid.UUID, Lot]:
    """The actor's clinic's lots with these codes, by code (unknown codes are left out):
    one query, for a chart that shows many points."""
    wanted = set()
    for code in codes:
        try:
            wanted.add(code if isinstance(code, uuid.UUID) else uuid.UUID(str(code)))
        except ValueError:
            continue
    if not wanted:
        return {}
    return {lot.code: lot for lot in _lots(actor).filter(code__in=wanted)}


def _product_lots(actor: Actor, product: Product) -> QuerySet[Lot]:
    actor.require("view_stock")
    if product.clinic_id != actor.clinic.pk:
        raise Http404("no such product")
    return Lot.objects.filter(product=product).select_related("recalled_by")


def _attach(lots: list[Lot], product: Product) -> list[Lot]:
    for lot in lots:
        lot.product = product  # the caller's object: no query per lot
    return lots


def lots_for(actor: Actor, product: Product) -> list[Lot]:
    """Every lot of the product, soonest expiry first: one query."""
    return _attach(list(_product_lots(actor, product)), product)


def usable_lots(actor: Actor, product: Product, at: dt.datetime) -> list[Lot]:
    """The lots of `product` that may be charted at `at`: an open vial first, then the
    soonest expiry (first expiring, first out). One query."""
    rules.aware(at)
    narrowed = _attach(list(_product_lots(actor, product).filter(usable_q(actor, at))), product)
    found = [lot for lot in narrowed if not rules.unusable_reasons(lot, at)]  # the one rule
    found.sort(key=lambda lot: (lot.opened_at is None, lot.expiry, lot.lot_number))
    return found


def moves_for(actor: Actor, lot: Lot) -> list[StockMove]:
    """The lot's stock moves, newest first, with who made them: one query."""
    actor.require("view_stock")
    if lot.product.clinic_id != actor.clinic.pk:
        raise Http404("no such lot")
    return list(StockMove.objects.filter(lot=lot).select_related("by"))


def recalled_lot_codes(actor: Actor) -> frozenset[uuid.UUID]:
    """Codes of the clinic's recalled lots: a chart flags a patient who received one."""
    return frozenset(
        Lot.objects.filter(product__clinic=actor.clinic, recalled_at__isnull=False).values_list(
            "code", flat=True
        )
    )


def usable_product_ids(actor: Actor, product_ids, at: dt.datetime) -> set[int]:
    """For the ready-to-treat gate, for many products at once (the day view): the products
    of `product_ids` with at least one lot that may be charted at `at` (the same rule as
    `usable_lots`). Product ids only, no stock detail: one query."""
    rules.aware(at)
    ids = set(product_ids)
    if not ids:
        return set()
    lots = (
        _lots(actor).filter(product__in=ids).filter(usable_q(actor, at)).select_related("product")
    )
    return {lot.product_id for lot in lots if not rules.unusable_reasons(lot, at)}


def lot_choices(actor: Actor, lot_ids) -> QuerySet[Lot]:
    """These lots of the actor's clinic as a queryset for a form's lot field, by product
    and expiry."""
    return (
        _lots(actor)
        .filter(pk__in=list(lot_ids))
        .select_related("product")
        .order_by("product__name", "expiry")
    )
