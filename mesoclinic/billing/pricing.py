"""What a signed session costs by the clinic's price list, as lines ready to invoice."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from mesoclinic.lib import money

from .models import BillingSettings, PriceItem, PriceKind, VatRate


@dataclass
class Line:
    description: str
    quantity: Decimal
    unit_price: int
    vat_percent: Decimal
    unit: str = ""
    discount: int = 0
    discount_reason: str = ""
    amounts: money.LineAmounts | None = field(default=None)


def settings_for(clinic) -> BillingSettings:
    billing, _created = BillingSettings.objects.get_or_create(clinic=clinic)
    return billing


def default_vat(clinic) -> VatRate | None:
    return VatRate.objects.filter(clinic=clinic, is_default=True).first()


def session_lines(session, clinic) -> list[Line]:
    """Lines for a signed session: its protocol's session price, then per-mL and
    per-product prices of the products its points used (volumes from the points as they
    stand now, so an amendment before invoicing changes the bill)."""
    items = sorted(  # the session price first, then the products
        PriceItem.objects.filter(
            clinic=clinic, protocol=session.protocol, active=True
        ).select_related("vat_rate", "product"),
        key=lambda i: (i.kind != PriceKind.SESSION, i.kind, i.id),
    )
    volumes: dict[int, Decimal] = defaultdict(Decimal)
    for product_id, volume in session.points.values_list("lot__product_id", "volume_ml"):
        volumes[product_id] += Decimal(volume)
    lines = []
    for item in items:
        if item.kind == PriceKind.SESSION:
            lines.append(
                Line(
                    _("%(protocol)s, session %(n)s")
                    % {"protocol": session.protocol, "n": session.number},
                    Decimal(1),
                    item.amount,
                    item.vat_rate.percent,
                )
            )
        elif item.product_id in volumes and item.kind == PriceKind.PER_ML:
            lines.append(
                Line(
                    item.product.name,
                    volumes[item.product_id],
                    item.amount,
                    item.vat_rate.percent,
                    unit="mL",
                )
            )
        elif item.product_id in volumes and item.kind == PriceKind.PER_PRODUCT:
            lines.append(Line(item.product.name, Decimal(1), item.amount, item.vat_rate.percent))
    return lines
