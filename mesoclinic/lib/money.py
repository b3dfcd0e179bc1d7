"""Money arithmetic, model-free. Amounts are integers in minor units (kuruş, cents); rates
and quantities are Decimal; nothing is ever a float.

VAT is computed and rounded on each line (half up, to the minor unit); an invoice's VAT is
the sum of its lines' rounded VAT, and its breakdown per rate is the sum of the lines of
that rate. This is the per-line method the EU VAT Directive (2006/112/EC, art. 226) and
the Turkish KDV practice accept; the invoice never re-rounds a total, so its lines always
add up to it exactly.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

HUNDRED = Decimal(100)


def round_minor(value: Decimal) -> int:
    """A Decimal amount of minor units, rounded half up (away from zero) to an integer."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class LineAmounts:
    net: int
    vat: int
    gross: int


def line_amounts(
    unit_price: int,
    quantity: Decimal,
    vat_percent: Decimal,
    *,
    discount: int = 0,
    prices_include_vat: bool = True,
) -> LineAmounts:
    """Net, VAT and gross of one line, each in minor units. `unit_price` is in minor units
    (with VAT when `prices_include_vat`), `discount` is taken off the line's amount."""
    if isinstance(unit_price, float) or isinstance(quantity, float):
        raise TypeError("money is never a float")
    quantity = Decimal(quantity)
    vat_percent = Decimal(vat_percent)
    if quantity <= 0 or unit_price < 0 or discount < 0 or vat_percent < 0:
        raise ValueError("a line needs a positive quantity and no negative price or discount")
    amount = round_minor(Decimal(unit_price) * quantity) - discount
    if amount < 0:
        raise ValueError("the discount is larger than the line")
    if prices_include_vat:
        vat = round_minor(Decimal(amount) * vat_percent / (HUNDRED + vat_percent))
        return LineAmounts(net=amount - vat, vat=vat, gross=amount)
    vat = round_minor(Decimal(amount) * vat_percent / HUNDRED)
    return LineAmounts(net=amount, vat=vat, gross=amount + vat)


def totals(lines: list[tuple[Decimal, LineAmounts]]) -> dict:
    """Totals of (vat_percent, amounts) lines: net, vat, gross and VAT per rate."""
    by_rate: dict[Decimal, dict[str, int]] = {}
    for rate, a in lines:
        r = by_rate.setdefault(Decimal(rate), {"net": 0, "vat": 0, "gross": 0})
        r["net"] += a.net
        r["vat"] += a.vat
        r["gross"] += a.gross
    return {
        "net": sum(a.net for _, a in lines),
        "vat": sum(a.vat for _, a in lines),
        "gross": sum(a.gross for _, a in lines),
        "by_rate": dict(sorted(by_rate.items())),
    }


def parse_amount(text: str, digits: int = 2) -> int:
    """ "1.250,50" or "1250.50" typed by a person -> 125050 minor units. Raises ValueError
    with a plain reason."""
    raw = (text or "").strip().replace(" ", "").replace("\u00a0", "")
    if not raw:
        raise ValueError("empty")
    if "," in raw and "." in raw:  # the last one is the decimal mark
        if raw.rfind(",") > raw.rfind("."):
            raw = raw.replace(".", "").replace(",", ".")
        else:
            raw = raw.replace(",", "")
    elif "," in raw:
        raw = raw.replace(",", ".")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError("not a number") from None
    if not value.is_finite() or value < 0:
        raise ValueError("not a positive amount")
    scaled = value * (Decimal(10) ** digits)
    if scaled != scaled.to_integral_value():
        raise ValueError("too many decimals")
    return int(scaled)


def as_decimal(minor: int, digits: int = 2) -> Decimal:
    """Minor units -> Decimal major units (for CSV and display)."""
    return (Decimal(minor) / (Decimal(10) ** digits)).quantize(Decimal(1).scaleb(-digits))


def format_amount(minor: int, currency: str, digits: int = 2, language: str = "en") -> str:
    """12345, "TRY" -> "123.45 TRY" (en) or "123,45 TRY" (tr), thousands grouped."""
    value = as_decimal(abs(minor), digits)
    whole, _, frac = f"{value:,.{digits}f}".partition(".")
    if language.startswith("tr"):
        whole = whole.replace(",", ".")
        text = f"{whole},{frac}" if digits else whole
    else:
        text = f"{whole}.{frac}" if digits else whole
    return f"{'-' if minor < 0 else ''}{text} {currency}"
