"""Every write of billing: one transaction, the clinic's counter locked while a number is
issued, an audit entry for each change. Issued invoices and payments are never changed."""

from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.accounts.actor import Actor
from mesoclinic.audit.actions import record
from mesoclinic.lib import money
from mesoclinic.lib.refusals import Refused
from mesoclinic.treatments.models import TreatmentPlan, TreatmentSession

from . import credits, numbering, pricing
from .models import (
    BillingSettings,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    PackageOffer,
    PackageSale,
    PackageUse,
    Payment,
    PaymentKind,
    PriceItem,
    VatRate,
)

SERIES = {InvoiceKind.INVOICE: "INV", InvoiceKind.CREDIT_NOTE: "CN"}


def _same_clinic(actor: Actor, *objs) -> None:
    for obj in objs:
        clinic_id = getattr(obj, "clinic_id", None)
        if clinic_id is None and hasattr(obj, "patient"):
            clinic_id = obj.patient.clinic_id
        if clinic_id != actor.clinic.pk:
            raise Refused(_("That record belongs to another clinic."))


def _discount(actor: Actor, line: pricing.Line, discount: int, reason: str) -> None:
    if not discount:
        return
    actor.require("give_discount")
    reason = (reason or "").strip()
    if len(reason) < 3:
        raise Refused({"discount_reason": _("Say why the discount is given.")})
    if discount < 0:
        raise Refused({"discount": _("A discount cannot be negative.")})
    line.discount, line.discount_reason = discount, reason[:200]


def _issue(actor: Actor, patient, kind, lines: list[pricing.Line], **links) -> Invoice:
    """Number and store an invoice (or credit note, sign -1) with its lines."""
    billing = pricing.settings_for(actor.clinic)
    sign = -1 if kind == InvoiceKind.CREDIT_NOTE else 1
    if not lines:
        raise Refused(_("Nothing to invoice: the price list has no price for this."))
    for line in lines:
        if line.amounts is not None:  # a credit note's line, worked out by credits.py
            continue
        try:
            line.amounts = money.line_amounts(
                line.unit_price,
                line.quantity,
                line.vat_percent,
                discount=line.discount,
                prices_include_vat=billing.prices_include_vat,
            )
        except ValueError:
            raise Refused({"discount": _("The discount is larger than the line.")}) from None
    total = money.totals([(line.vat_percent, line.amounts) for line in lines])
    series = SERIES[kind]
    number = numbering.next_number(actor.clinic, series)  # locks the counter row
    invoice = Invoice.objects.create(
        clinic=actor.clinic,
        kind=kind,
        series=series,
        number=number,
        patient=patient,
        buyer_name=f"{patient.given_name} {patient.family_name}",
        seller={
            "name": actor.clinic.name,
            "legal_name": billing.legal_name,
            "tax_number": billing.tax_number,
            "address": billing.address,
        },
        currency=billing.currency,
        minor_digits=billing.minor_digits,
        language=patient.language or "en",
        net=sign * total["net"],
        vat=sign * total["vat"],
        gross=sign * total["gross"],
        issued_by=actor.user,
        issued_at=timezone.now(),
        **links,
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            position=i,
            description=line.description[:300],
            quantity=line.quantity,
            unit=line.unit,
            unit_price=line.unit_price,
            discount=line.discount,
            discount_reason=line.discount_reason,
            vat_percent=line.vat_percent,
            net=sign * line.amounts.net,
            vat=sign * line.amounts.vat,
            gross=sign * line.amounts.gross,
            credits_line=getattr(line, "credits_line", None),
        )
        for i, line in enumerate(lines, 1)
    )
    record(
        actor,
        "create",
        invoice,
        patient=patient,
        summary=f"{invoice.get_kind_display()} {invoice.number_text}: {invoice.gross}",
    )
    return invoice


def _live_invoice(session) -> Invoice | None:
    """The session's invoice not wholly credited (a part credited still bills it)."""
    return (
        Invoice.objects.filter(session=session, kind=InvoiceKind.INVOICE)
        .annotate(credited=Coalesce(Sum("credit_notes__gross"), 0))
        .filter(gross__gt=-F("credited"))
        .order_by("-id")
        .first()
    )


@transaction.atomic
def invoice_session(actor: Actor, session, *, discount: int = 0, discount_reason: str = ""):
    """The invoice of one signed session, priced from the price list. A session counted
    on a package is not invoiced again; a session already invoiced needs a credit note
    first."""
    actor.require("issue_invoices")
    _same_clinic(actor, session)
    session = TreatmentSession.objects.select_for_update().get(pk=session.pk)  # one desk at a time
    if not session.is_signed:
        raise Refused(_("Only a signed-off session is invoiced."))
    if PackageUse.objects.filter(session=session).exists():
        raise Refused(_("This session is paid by a package."))
    if _live_invoice(session):
        raise Refused(_("This session already has an invoice; correct it with a credit note."))
    lines = pricing.session_lines(session, actor.clinic)
    if lines:
        _discount(actor, lines[0], discount, discount_reason)
    invoice = _issue(
        actor,
        session.patient,
        InvoiceKind.INVOICE,
        lines,
        session=session,
        session_revision=session.revision,
        practitioner=session.signed_by,
    )
    return invoice


@transaction.atomic
def sell_package(
    actor: Actor, plan, offer: PackageOffer, *, discount: int = 0, discount_reason: str = ""
) -> PackageSale:
    """Sell a package for a plan: its invoice, and the plan's signed sessions not yet
    invoiced or counted are counted on it at once."""
    actor.require("issue_invoices")
    _same_clinic(actor, offer, plan)
    plan = TreatmentPlan.objects.select_for_update().get(pk=plan.pk)
    if not offer.active:
        raise Refused(_("This package is no longer offered."))
    if offer.protocol != plan.protocol:
        raise Refused(_("This package is for another protocol."))
    if PackageSale.objects.filter(plan=plan, cancelled_at=None).exists():
        raise Refused(_("This plan already has a package."))
    sale = PackageSale.objects.create(
        clinic=actor.clinic,
        patient=plan.patient,
        plan=plan,
        offer=offer,
        name=offer.name,
        sessions_included=offer.sessions,
        sold_by=actor.user,
    )
    line = pricing.Line(
        _("%(name)s (%(n)s sessions)") % {"name": offer.name, "n": offer.sessions},
        Decimal(1),
        offer.amount,
        offer.vat_rate.percent,
    )
    _discount(actor, line, discount, discount_reason)
    _issue(actor, plan.patient, InvoiceKind.INVOICE, [line], package_sale=sale)
    for session in plan.sessions.filter(status="signed").order_by("number"):
        if not _live_invoice(session):
            count_session(actor, session)
    record(actor, "create", sale, patient=plan.patient, summary=f"package {sale.name}")
    return sale


@transaction.atomic
def credit(actor: Actor, invoice: Invoice, *, reason: str, amounts: dict | None = None) -> Invoice:
    """Correct an issued invoice with a credit note (its own number series): all that is
    left of it (`amounts` None), or some lines or part of their amount (`amounts`: line
    position -> gross minor units). An invoice may have several credit notes, never more
    than its lines. A package's invoice credited in full cancels the package; its
    sessions are then invoiced."""
    actor.require("refund")
    _same_clinic(actor, invoice)
    reason = (reason or "").strip()
    if len(reason) < 3:
        raise Refused({"reason": _("Say why the invoice is corrected.")})
    if invoice.is_credit_note:
        raise Refused(_("A credit note is not credited; issue a new invoice instead."))
    # the invoice's row lock (no update) serialises its credit notes: what is left is
    # read after the lock, so two desks never take back the same amount twice
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    billing = pricing.settings_for(actor.clinic)
    lines = credits.credit_lines(invoice, amounts, prices_include_vat=billing.prices_include_vat)
    note = _issue(
        actor,
        invoice.patient,
        InvoiceKind.CREDIT_NOTE,
        lines,
        credits=invoice,
        reason=reason[:300],
        session=invoice.session,
        practitioner=invoice.practitioner,
    )
    if invoice.package_sale_id and credits.is_fully_credited(invoice):
        sale = PackageSale.objects.select_for_update().get(pk=invoice.package_sale_id)
        sale.cancelled_at = timezone.now()
        sale.save(update_fields=["cancelled_at"])
        uses = list(sale.uses.all())
        PackageUse.objects.filter(sale=sale).delete()
        record(
            actor,
            "update",
            sale,
            patient=invoice.patient,
            summary=f"package cancelled; {len(uses)} sessions no longer counted",
        )
    return note


# --- package counting (called by receivers.py on sign-off and amendment) ---


def session_counts(session) -> bool:
    """A signed session with at least one point charted was done and counts."""
    return session.is_signed and session.points.exists()


@transaction.atomic
def count_session(actor: Actor, session) -> PackageUse | None:
    """Count a signed session on its plan's package, if the package has sessions left;
    release it when an amendment left nothing done. Idempotent."""
    existing = PackageUse.objects.filter(session=session).first()
    if not session_counts(session):
        if existing:
            existing.delete()
            record(
                actor,
                "delete",
                existing.sale,
                patient=session.patient,
                summary=f"session {session.number} no longer counted (amended)",
            )
        return None
    if existing:
        return existing
    sale = (
        PackageSale.objects.select_for_update()
        .filter(plan_id=session.plan_id, cancelled_at=None)
        .first()
    )
    if sale is None or sale.uses.count() >= sale.sessions_included:
        return None
    if _live_invoice(session):
        return None
    use = PackageUse.objects.create(sale=sale, session=session)
    record(
        actor,
        "update",
        sale,
        patient=session.patient,
        summary=f"session {session.number} counted ({sale.uses.count()}/{sale.sessions_included})",
    )
    return use


# --- payments ---


def _amount(amount) -> int:
    if isinstance(amount, float) or not isinstance(amount, int) or amount <= 0:
        raise Refused({"amount": _("Enter an amount above zero.")})
    return amount


@transaction.atomic
def take_payment(
    actor: Actor, patient, amount: int, method: str, *, invoice: Invoice | None = None, note=""
) -> Payment:
    actor.require("take_payments")
    _same_clinic(actor, patient)
    if invoice is not None and (invoice.patient_id != patient.pk or invoice.is_credit_note):
        raise Refused({"invoice": _("Choose an invoice of this patient.")})
    billing = pricing.settings_for(actor.clinic)
    payment = Payment.objects.create(
        clinic=actor.clinic,
        patient=patient,
        kind=PaymentKind.PAYMENT,
        method=method,
        amount=_amount(amount),
        currency=billing.currency,
        invoice=invoice,
        practitioner=invoice.practitioner if invoice else None,
        note=note[:200],
        taken_by=actor.user,
        taken_at=timezone.now(),
    )
    record(actor, "create", payment, patient=patient, summary=f"payment {amount} {method}")
    return payment


@transaction.atomic
def take_deposit(actor: Actor, appointment, amount: int, method: str) -> Payment:
    actor.require("take_payments")
    _same_clinic(actor, appointment)
    if not appointment.is_booked:
        raise Refused(_("A deposit is taken for a booked appointment."))
    billing = pricing.settings_for(actor.clinic)
    payment = Payment.objects.create(
        clinic=actor.clinic,
        patient=appointment.patient,
        kind=PaymentKind.DEPOSIT,
        method=method,
        amount=_amount(amount),
        currency=billing.currency,
        appointment=appointment,
        practitioner=appointment.practitioner.user,
        taken_by=actor.user,
        taken_at=timezone.now(),
    )
    record(actor, "create", payment, patient=appointment.patient, summary=f"deposit {amount}")
    return payment


@transaction.atomic
def refund(actor: Actor, payment: Payment, amount: int, *, reason: str) -> Payment:
    """Give back up to what is left of a payment or deposit, by the same method."""
    actor.require("refund")
    _same_clinic(actor, payment)
    reason = (reason or "").strip()
    if len(reason) < 3:
        raise Refused({"reason": _("Say why the money is given back.")})
    if payment.kind == PaymentKind.REFUND:
        raise Refused(_("A refund is not refunded."))
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    given_back = payment.refunds.aggregate(s=Sum("amount"))["s"] or 0
    if _amount(amount) > payment.amount - given_back:
        raise Refused(
            {
                "amount": _("At most %(left)s is left to refund.")
                % {"left": payment.amount - given_back}
            }
        )
    back = Payment.objects.create(
        clinic=actor.clinic,
        patient=payment.patient,
        kind=PaymentKind.REFUND,
        method=payment.method,
        amount=amount,
        currency=payment.currency,
        invoice=payment.invoice,
        appointment=payment.appointment,
        refund_of=payment,
        practitioner=payment.practitioner,
        note=reason[:200],
        taken_by=actor.user,
        taken_at=timezone.now(),
    )
    record(
        actor, "create", back, patient=payment.patient, summary=f"refund {amount}: {reason[:80]}"
    )
    return back


# --- price list ---


@transaction.atomic
def add_vat_rate(actor: Actor, name: str, percent: Decimal, *, default=False) -> VatRate:
    actor.require("set_prices")
    percent = Decimal(percent)
    if not (0 <= percent <= 100):
        raise Refused({"percent": _("A VAT rate is between 0 and 100 %.")})
    if default:
        VatRate.objects.filter(clinic=actor.clinic).update(is_default=False)
    rate = VatRate.objects.create(
        clinic=actor.clinic, name=name, percent=percent, is_default=default
    )
    record(actor, "create", rate, summary=f"VAT {name} {percent}%")
    return rate


@transaction.atomic
def set_price(actor: Actor, protocol: str, kind: str, amount: int, vat_rate: VatRate, product=None):
    """The active price of (protocol, kind, product); the previous one is kept inactive."""
    actor.require("set_prices")
    _same_clinic(actor, vat_rate)
    if product is not None:
        _same_clinic(actor, product)
    if kind != "session" and product is None:
        raise Refused({"product": _("A per-product or per-mL price names its product.")})
    if isinstance(amount, float) or amount < 0:
        raise Refused({"amount": _("Enter a price of zero or more.")})
    PriceItem.objects.filter(
        clinic=actor.clinic, protocol=protocol, kind=kind, product=product, active=True
    ).update(active=False)
    item = PriceItem.objects.create(
        clinic=actor.clinic,
        protocol=protocol,
        kind=kind,
        product=product,
        amount=amount,
        vat_rate=vat_rate,
        updated_by=actor.user,
    )
    record(actor, "update", item, summary=f"price {protocol} {kind}: {amount}")
    return item


@transaction.atomic
def create_offer(actor: Actor, name: str, protocol: str, sessions: int, amount: int, vat_rate):
    actor.require("set_prices")
    _same_clinic(actor, vat_rate)
    if sessions < 1:
        raise Refused({"sessions": _("A package has at least one session.")})
    offer = PackageOffer.objects.create(
        clinic=actor.clinic,
        name=name,
        protocol=protocol,
        sessions=sessions,
        amount=amount,
        vat_rate=vat_rate,
    )
    record(actor, "create", offer, summary=f"package {name}: {sessions} sessions, {amount}")
    return offer


@transaction.atomic
def update_settings(actor: Actor, billing, data: dict):
    """The clinic's currency, VAT mode and invoice heading. The currency and its decimals
    are fixed once money has been recorded: stored amounts are minor units of them."""

    actor.require("set_prices")
    billing = BillingSettings.objects.select_for_update().get(pk=billing.pk, clinic=actor.clinic)
    used = (
        Invoice.objects.filter(clinic=actor.clinic).exists()
        or Payment.objects.filter(clinic=actor.clinic).exists()
    )
    if used and (
        data["currency"] != billing.currency or data["minor_digits"] != billing.minor_digits
    ):
        raise Refused(
            {"currency": _("The currency cannot change once invoices or payments are recorded.")}
        )
    for field, value in data.items():
        setattr(billing, field, value)
    billing.save()
    record(actor, "update", billing, summary=f"billing settings: {billing.currency}")
    return billing
