"""What is left to credit on an issued invoice, line by line, and the lines of a credit
note for the whole or a part of it. A credit note line names the invoice line it
corrects; its VAT is worked out on the line (rounded half up, as every line is), and the
last credit of a line takes exactly what is left of its net and VAT, so an invoice
credited in several parts ends at zero on every line, every rate and the total."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from mesoclinic.lib import money
from mesoclinic.lib.refusals import Refused

from . import pricing
from .models import InvoiceLine


@dataclass
class Left:
    line: InvoiceLine
    net: int
    vat: int
    gross: int


def left_to_credit(invoice) -> list[Left]:
    """Each line of the invoice with what its credit notes have not yet taken back (one
    query)."""
    lines = InvoiceLine.objects.filter(invoice=invoice).annotate(
        c_net=Coalesce(Sum("credited_by__net"), 0),
        c_vat=Coalesce(Sum("credited_by__vat"), 0),
        c_gross=Coalesce(Sum("credited_by__gross"), 0),
    )  # credit note lines are negative
    return [
        Left(line, line.net + line.c_net, line.vat + line.c_vat, line.gross + line.c_gross)
        for line in lines.order_by("position")
    ]


def is_fully_credited(invoice) -> bool:
    return all(left.gross == 0 for left in left_to_credit(invoice))


def credit_lines(
    invoice, amounts: dict[int, int] | None, *, prices_include_vat: bool = True
) -> list[pricing.Line]:
    """The lines of a credit note. `amounts`: line position -> gross amount to take back
    (minor units, at most what is left of the line); None takes back all that is left."""
    left = left_to_credit(invoice)
    if amounts is None:
        amounts = {entry.line.position: entry.gross for entry in left if entry.gross}
        if not amounts:
            raise Refused(_("Nothing is left to credit on this invoice."))
    by_position = {entry.line.position: entry for entry in left}
    out = []
    for position, amount in sorted(amounts.items()):
        entry = by_position.get(position)
        if entry is None:
            raise Refused(_("That line is not on this invoice."))
        if isinstance(amount, float) or not isinstance(amount, int) or amount <= 0:
            raise Refused({f"line_{position}": _("Enter an amount above zero.")})
        if amount > entry.gross:
            raise Refused(
                {
                    f"line_{position}": _("At most %(left)s is left to credit on this line.")
                    % {"left": money.as_decimal(entry.gross, invoice.minor_digits)}
                }
            )
        out.append(_line(entry, amount, prices_include_vat))
    if not out:
        raise Refused(_("Choose at least one line and an amount to credit."))
    return out


def _line(entry: Left, amount: int, prices_include_vat: bool) -> pricing.Line:
    line = entry.line
    whole = amount == line.gross and entry.gross == line.gross  # the line, never credited
    if amount == entry.gross:  # the last of the line: exactly what is left
        net, vat = entry.net, entry.vat
    else:
        rate = Decimal(line.vat_percent)
        vat = money.round_minor(Decimal(amount) * rate / (Decimal(100) + rate))
        net = amount - vat
    credit = pricing.Line(
        line.description if whole else _("Part of: %(line)s") % {"line": line.description},
        line.quantity if whole else Decimal(1),
        line.unit_price if whole else (amount if prices_include_vat else net),
        line.vat_percent,
        unit=line.unit if whole else "",
        discount=line.discount if whole else 0,
        discount_reason=line.discount_reason if whole else "",
        amounts=money.LineAmounts(net=net, vat=vat, gross=amount),
    )
    credit.credits_line = line
    return credit
