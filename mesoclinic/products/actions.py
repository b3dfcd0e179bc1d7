"""Every write of products, lots and stock: one transaction, one audit entry.

A lot's `quantity_remaining` changes only here, under a row lock on the lot, together with
the stock move that explains it: it always equals the sum of the lot's moves.
Bad input raises ValidationError keyed by field name; a use or move the lot cannot take
raises Refused (a ValidationError whose messages say why in plain words).
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.accounts.actor import Actor
from mesoclinic.audit.actions import record
from mesoclinic.lib import clinicday
from mesoclinic.lib.refusals import Refused

from . import inputs, rules
from .models import Lot, MoveKind, Product, StockMove

PRODUCT_FIELDS = (
    "name",
    "maker",
    "product_class",
    "ingredients",
    "vehicle",
    "patch_test_reading_minutes",
    "unit",
    "multi_dose",
    "discard_after_opening_hours",
    "low_stock_threshold",
    "is_active",
)
LOT_STATE = ("quantity_remaining", "opened_at", "discard_by", "discarded_at", "recalled_at")


# --- products -------------------------------------------------------------------------


def _product_data(data: dict[str, Any]) -> dict[str, Any]:
    d = {f: data[f] for f in PRODUCT_FIELDS if f in data}
    for f in ("name", "maker"):
        if f in d:
            d[f] = " ".join((d[f] or "").split())
    if "ingredients" in d:
        d["ingredients"] = inputs.ingredients(d["ingredients"])
    return d


def _check_product(actor: Actor, d: dict[str, Any], product: Product | None) -> None:
    problems = rules.product_problems(d)
    same = Product.objects.filter(
        clinic=actor.clinic, name__iexact=d.get("name", ""), maker__iexact=d.get("maker", "")
    )
    if product is not None:
        same = same.exclude(pk=product.pk)
    if "name" not in problems and same.exists():
        problems["name"] = _("This clinic already has a product of this name from this maker.")
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def create_product(actor: Actor, data: dict[str, Any]) -> Product:
    actor.require("manage_stock")
    d = _product_data(data)
    _check_product(actor, d, None)
    product = Product.objects.create(clinic=actor.clinic, **d)
    record(actor, "create", product, summary=f"product {product.name}"[:300])
    return product


@transaction.atomic
def update_product(actor: Actor, product: Product, data: dict[str, Any]) -> Product:
    """Change a product. Vials already open keep the discard time they were opened with."""
    actor.require("manage_stock")
    _mine(actor, product)
    d = {f: getattr(product, f) for f in PRODUCT_FIELDS} | _product_data(data)
    _check_product(actor, d, product)
    changed = [f for f in PRODUCT_FIELDS if d[f] != getattr(product, f)]
    for f in changed:
        setattr(product, f, d[f])
    if changed:
        product.save(update_fields=[*changed, "updated_at"])
        record(
            actor,
            "update",
            product,
            summary=f"product {product.name}"[:300],
            detail={"changed": sorted(changed)},
        )
    return product


# --- lots -----------------------------------------------------------------------------


def _mine(actor: Actor, product: Product) -> None:
    if product.clinic_id != actor.clinic.pk:
        raise Http404("no such product")


def _lock(actor: Actor, lot: Lot) -> Lot:
    """The lot's row, read afresh and locked until the transaction ends."""
    try:
        locked = (
            Lot.objects.select_for_update(of=("self",))
            .select_related("product__clinic")
            .get(pk=lot.pk)
        )
    except Lot.DoesNotExist:
        raise Http404("no such lot") from None
    _mine(actor, locked.product)
    return locked


def _sync(lot: Lot, locked: Lot) -> None:
    """Give the caller's object the state just written."""
    for f in LOT_STATE + ("recall_reason", "recalled_by_id"):
        setattr(lot, f, getattr(locked, f))


def _move(actor, locked: Lot, kind: str, delta: Decimal, at, reference="", reason="") -> StockMove:
    left = locked.quantity_remaining + delta
    if left < 0:
        raise Refused(
            _("Only %(left)s %(unit)s are left of this lot.")
            % {"left": rules.quantity_text(locked.quantity_remaining), "unit": locked.product.unit},
            code="insufficient",
        )
    move = StockMove.objects.create(
        lot=locked,
        kind=kind,
        delta=delta,
        at=at,
        reference=reference,
        reason=reason,
        by=actor.user,
    )
    locked.quantity_remaining = left
    locked.save(update_fields=["quantity_remaining"])
    return move


def _audit(actor, lot: Lot, summary: str, action: str = "update", patient=None, **detail):
    detail = {"lot": lot.lot_number, "product": str(lot.product.code), **detail}
    record(actor, action, lot, patient=patient, summary=summary[:300], detail=detail)


@transaction.atomic
def receive_lot(
    actor: Actor, product: Product, *, lot_number: str, expiry: dt.date, quantity, at=None
) -> Lot:
    """A new lot of `product`. An expiry date already past is accepted (the record is true);
    the lot then shows as expired and is never usable."""
    actor.require("manage_stock")
    _mine(actor, product)
    at = inputs.moment(at)
    number = " ".join((lot_number or "").split())
    if not number or len(number) > 64:
        raise ValidationError({"lot_number": _("Give the lot number, up to 64 characters.")})
    if not isinstance(expiry, dt.date) or isinstance(expiry, dt.datetime):
        raise ValidationError({"expiry": _("Give the expiry date.")})
    q = inputs.quantity(quantity)
    if not product.is_active:
        raise ValidationError(_("This product is no longer in use: mark it in use first."))
    if product.lots.filter(lot_number__iexact=number).exists():
        raise ValidationError({"lot_number": _("This lot of this product is already recorded.")})
    lot = Lot.objects.create(
        product=product,
        lot_number=number,
        expiry=expiry,
        quantity_received=q,
        quantity_remaining=q,
        received_at=at,
        received_by=actor.user,
    )
    StockMove.objects.create(lot=lot, kind=MoveKind.RECEIVE, delta=q, at=at, by=actor.user)
    _audit(actor, lot, f"received {rules.quantity_text(q)} {product.unit}", action="create")
    return lot


def _open(locked: Lot, at: dt.datetime) -> None:
    locked.opened_at = at
    locked.discard_by = rules.discard_time(at, locked.product.discard_after_opening_hours)
    locked.save(update_fields=["opened_at", "discard_by"])


@transaction.atomic
def open_lot(actor: Actor, lot: Lot, at: dt.datetime | None = None) -> Lot:
    """Open a vial of a multi-dose lot: it must be discarded `discard_after_opening_hours`
    later. A use of an unopened multi-dose lot opens it by itself."""
    actor.require("manage_stock")
    at = inputs.moment(at)
    locked = _lock(actor, lot)
    if not locked.product.multi_dose:
        raise Refused(_("Only a multi-dose vial is opened and kept."), code="single_dose")
    if locked.opened_at is not None:
        raise Refused(
            _("A vial of this lot is open since %(time)s: discard it before opening another.")
            % {"time": clinicday.local_text(locked.opened_at, locked.product.clinic)},
            code="already_open",
        )
    if reasons := rules.unusable_reasons(locked, at):
        raise Refused(reasons, code="unusable")
    _open(locked, at)
    _audit(actor, locked, "vial opened", discard_by=locked.discard_by.isoformat())
    _sync(lot, locked)
    return lot


@transaction.atomic
def use_stock(
    actor: Actor,
    lot: Lot,
    quantity,
    reference: str,
    *,
    at: dt.datetime | None = None,
    patient=None,
) -> StockMove:
    """Take `quantity` of `lot` for a charted use. `reference` names the use (the public
    code of the session point); `patient` only tags the audit entry. Refused (Refused)
    when the lot is unusable at `at` (default now) or too little is left."""
    actor.require("record_clinical")
    q = inputs.quantity(quantity)
    reference = inputs.reference(reference)
    at = inputs.moment(at)
    locked = _lock(actor, lot)
    if reasons := rules.unusable_reasons(locked, at):
        raise Refused(reasons, code="unusable")
    if locked.product.multi_dose and locked.opened_at is None:
        _open(locked, at)
    move = _move(actor, locked, MoveKind.USE, -q, at, reference=reference)
    _audit(
        actor,
        locked,
        f"used {rules.quantity_text(q)} {locked.product.unit}",
        patient=patient,
        reference=reference,
    )
    _sync(lot, locked)
    return move


@transaction.atomic
def return_stock(actor: Actor, lot: Lot, quantity, reference: str, *, patient=None) -> StockMove:
    """Give back stock of a use that is undone (a charted point removed before sign-off):
    at most what was used under `reference` and not yet returned."""
    actor.require("record_clinical")
    q = inputs.quantity(quantity)
    reference = inputs.reference(reference)
    locked = _lock(actor, lot)
    net = StockMove.objects.filter(
        lot=locked, reference=reference, kind__in=[MoveKind.USE, MoveKind.RETURN]
    ).aggregate(net=Sum("delta"))["net"] or Decimal(0)
    if q > -net:
        raise Refused(
            _("Only %(used)s %(unit)s of this lot are charted under this reference.")
            % {"used": rules.quantity_text(max(-net, Decimal(0))), "unit": locked.product.unit},
            code="not_used",
        )
    move = _move(actor, locked, MoveKind.RETURN, q, timezone.now(), reference=reference)
    _audit(
        actor,
        locked,
        f"returned {rules.quantity_text(q)} {locked.product.unit}",
        patient=patient,
        reference=reference,
    )
    _sync(lot, locked)
    return move


@transaction.atomic
def adjust_stock(actor: Actor, lot: Lot, delta, reason: str) -> StockMove:
    """Correct the quantity after a count or a breakage: `delta` is added (may be negative)."""
    actor.require("manage_stock")
    d = inputs.quantity(delta, "delta", signed=True)
    reason = inputs.reason(reason, required=True)
    locked = _lock(actor, lot)
    if locked.quantity_remaining + d < 0:
        raise ValidationError(
            {
                "delta": _("Only %(left)s %(unit)s are left: the change would go below zero.")
                % {
                    "left": rules.quantity_text(locked.quantity_remaining),
                    "unit": locked.product.unit,
                }
            }
        )
    move = _move(actor, locked, MoveKind.ADJUST, d, timezone.now(), reason=reason)
    _audit(
        actor, locked, f"adjusted by {rules.quantity_text(d)} {locked.product.unit}", reason=reason
    )
    _sync(lot, locked)
    return move


@transaction.atomic
def discard_lot(actor: Actor, lot: Lot, *, reason: str = "", quantity=None) -> StockMove:
    """Throw away `quantity` of the lot (default: all that is left). For a multi-dose lot
    this also closes the open vial, so the next use opens a new one. A lot discarded down
    to nothing is marked discarded."""
    actor.require("manage_stock")
    reason = inputs.reason(reason, required=False)
    locked = _lock(actor, lot)
    left = locked.quantity_remaining
    q = left if quantity in (None, "") else inputs.quantity(quantity)
    if left <= 0:
        raise Refused(_("Nothing is left of this lot to discard."), code="empty")
    if q > left:
        raise ValidationError(
            {
                "quantity": _("Only %(left)s %(unit)s are left of this lot.")
                % {"left": rules.quantity_text(left), "unit": locked.product.unit}
            }
        )
    now = timezone.now()
    move = _move(actor, locked, MoveKind.DISCARD, -q, now, reason=reason)
    if locked.opened_at is not None:
        locked.opened_at = locked.discard_by = None
    if locked.quantity_remaining == 0:
        locked.discarded_at = now
    locked.save(update_fields=["opened_at", "discard_by", "discarded_at"])
    _audit(
        actor, locked, f"discarded {rules.quantity_text(q)} {locked.product.unit}", reason=reason
    )
    _sync(lot, locked)
    return move


@transaction.atomic
def recall_lot(actor: Actor, lot: Lot, reason: str) -> Lot:
    """Recall a lot: every later use is refused, and the patients who received it are
    flagged on their charts (see access.recalled_lot_codes)."""
    actor.require("recall_lot")
    reason = inputs.reason(reason, required=True)
    locked = _lock(actor, lot)
    if locked.recalled_at is not None:
        raise Refused(_("This lot is already recalled."), code="recalled")
    locked.recalled_at = timezone.now()
    locked.recall_reason = reason
    locked.recalled_by = actor.user
    locked.save(update_fields=["recalled_at", "recall_reason", "recalled_by"])
    _audit(actor, locked, f"recalled: {reason}", action="recall", reason=reason)
    _sync(lot, locked)
    return lot
