"""Every read of billing, scoped to the actor's clinic and checked against the role.
Reads of one patient's account are audited."""

import datetime as dt
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from mesoclinic.accounts.actor import Actor
from mesoclinic.audit.actions import record
from mesoclinic.lib import clinicday
from mesoclinic.scheduling.models import Appointment
from mesoclinic.treatments.models import SessionStatus, TreatmentPlan, TreatmentSession

from . import pricing
from .models import Invoice, PackageOffer, PackageSale, Payment, PaymentKind, PriceItem, VatRate


def balance(patient) -> int:
    """What the patient owes (positive) or has in credit (negative), in minor units:
    invoices less credit notes (already negative), less money in, plus refunds."""
    billed = Invoice.objects.filter(patient=patient).aggregate(s=Sum("gross"))["s"] or 0
    sums = Payment.objects.filter(patient=patient).aggregate(
        paid=Sum("amount", filter=~Q(kind=PaymentKind.REFUND)),
        back=Sum("amount", filter=Q(kind=PaymentKind.REFUND)),
    )
    return billed - (sums["paid"] or 0) + (sums["back"] or 0)


def packages(patient) -> list[PackageSale]:
    sales = list(
        PackageSale.objects.filter(patient=patient)
        .annotate(used=Count("uses"))
        .select_related("plan")
    )
    for sale in sales:
        sale.remaining = max(sale.sessions_included - sale.used, 0)
    return sales


def account(actor: Actor, patient, *, audit: bool = True) -> dict:
    actor.require("view_billing")
    if patient.clinic_id != actor.clinic.pk:
        raise Http404
    if audit:
        record(actor, "view", patient, patient=patient, summary="billing account")
    billing = pricing.settings_for(actor.clinic)
    payments = list(
        Payment.objects.filter(patient=patient).select_related("invoice", "appointment")
    )
    invoices = list(Invoice.objects.filter(patient=patient).select_related("credits", "session"))
    for invoice in invoices:  # amended after it was issued: the bill may be wrong
        invoice.stale = (
            invoice.session_id is not None
            and not invoice.is_credit_note
            and invoice.session_revision is not None
            and invoice.session.revision > invoice.session_revision
            and not invoice.credit_notes.exists()
        )
    return {
        "patient": patient,
        "billing": billing,
        "balance": balance(patient),
        "invoices": invoices,
        "payments": payments,
        "deposits": [p for p in payments if p.kind == PaymentKind.DEPOSIT],
        "packages": packages(patient),
    }


def get_invoice(actor: Actor, code, *, audit: bool = True) -> Invoice:
    actor.require("view_billing")
    try:
        invoice = Invoice.objects.select_related("patient", "credits").get(
            code=code, clinic=actor.clinic
        )
    except (Invoice.DoesNotExist, ValueError):
        raise Http404 from None
    if audit:
        record(actor, "view", invoice, patient=invoice.patient, summary=invoice.number_text)
    return invoice


def plan_for_sale(actor: Actor, code):
    """A plan of this clinic that a package may be sold for (404 otherwise: another clinic's
    plan is not named)."""
    actor.require("view_billing")
    try:
        return TreatmentPlan.objects.select_related("patient").get(
            code=code, patient__clinic=actor.clinic
        )
    except (TreatmentPlan.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def get_payment(actor: Actor, code) -> Payment:
    actor.require("view_billing")
    try:
        return Payment.objects.select_related("patient").get(code=code, clinic=actor.clinic)
    except (Payment.DoesNotExist, ValueError):
        raise Http404 from None


def _day_bounds(actor: Actor, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return clinicday.day_bounds(day, actor.clinic)


def daily_close(actor: Actor, day: dt.date) -> dict:
    """Takings of one clinic day: money in less refunds, by method and by practitioner,
    and the invoices issued that day."""
    actor.require("view_billing")
    start, end = _day_bounds(actor, day)
    payments = list(
        Payment.objects.filter(clinic=actor.clinic, taken_at__gte=start, taken_at__lt=end)
        .select_related("practitioner", "patient", "taken_by")
        .order_by("taken_at", "id")
    )
    by_method: dict[str, int] = defaultdict(int)
    by_practitioner: dict[str, int] = defaultdict(int)
    for p in payments:
        by_method[p.get_method_display()] += p.signed_amount
        who = p.practitioner.display_name if p.practitioner else "—"
        by_practitioner[who] += p.signed_amount
    invoices = Invoice.objects.filter(clinic=actor.clinic, issued_at__gte=start, issued_at__lt=end)
    issued = invoices.aggregate(s=Sum("gross"), n=Count("id"))
    return {
        "day": day,
        "billing": pricing.settings_for(actor.clinic),
        "payments": payments,
        "by_method": sorted(by_method.items()),
        "by_practitioner": sorted(by_practitioner.items()),
        "total": sum(p.signed_amount for p in payments),
        "invoiced": issued["s"] or 0,
        "invoice_count": issued["n"],
    }


def invoices_between(actor: Actor, start: dt.date, end: dt.date):
    """Invoices and credit notes issued from `start` to `end` (clinic days, inclusive)."""
    actor.require("view_billing")
    lo, _ = _day_bounds(actor, start)
    _, hi = _day_bounds(actor, end)
    return (
        Invoice.objects.filter(clinic=actor.clinic, issued_at__gte=lo, issued_at__lt=hi)
        .prefetch_related("lines")
        .select_related("credits")
        .order_by("issued_at", "id")
    )


def sessions_to_invoice(actor: Actor, limit: int = 100):
    """Signed sessions neither invoiced nor counted on a package."""

    actor.require("view_billing")
    invoiced = (
        Invoice.objects.filter(clinic=actor.clinic, kind="invoice", session__isnull=False)
        .annotate(credited=Coalesce(Sum("credit_notes__gross"), 0))
        .filter(gross__gt=-F("credited"))
        .values("session_id")
    )
    return (
        TreatmentSession.objects.filter(
            patient__clinic=actor.clinic, status=SessionStatus.SIGNED, package_use=None
        )
        .exclude(pk__in=invoiced)
        .select_related("patient", "signed_by")
        .order_by("-signed_at")[:limit]
    )


def plans_with_offers(actor: Actor, patient) -> list[tuple]:
    """The patient's active plans, each with the packages offered for its protocol (two
    queries), for the account page's "sell a package" forms."""
    actor.require("issue_invoices")
    plans = list(TreatmentPlan.objects.filter(patient=patient, status="active"))
    offers: dict[str, list[PackageOffer]] = defaultdict(list)
    for offer in PackageOffer.objects.filter(
        clinic=actor.clinic, active=True, protocol__in={p.protocol for p in plans}
    ):
        offers[offer.protocol].append(offer)
    return [(plan, offers[plan.protocol]) for plan in plans]


def get_offer(actor: Actor, code) -> PackageOffer | None:
    actor.require("view_billing")
    try:
        return PackageOffer.objects.get(code=code, clinic=actor.clinic)
    except (PackageOffer.DoesNotExist, ValueError, ValidationError):
        return None


def session_for_invoice(actor: Actor, code) -> TreatmentSession:
    """A session of this clinic by its code, for invoicing (404 otherwise)."""
    actor.require("issue_invoices")
    try:
        return TreatmentSession.objects.select_related("patient").get(
            code=code, patient__clinic=actor.clinic
        )
    except (TreatmentSession.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def appointment_for_deposit(actor: Actor, code) -> Appointment:
    """An appointment of this clinic by its code, for a deposit (404 otherwise)."""
    actor.require("take_payments")
    try:
        return Appointment.objects.select_related("patient", "practitioner").get(
            code=code, clinic=actor.clinic
        )
    except (Appointment.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def price_list(actor: Actor) -> dict:
    """The clinic's VAT rates, active prices and package offers."""
    actor.require("view_billing")
    return {
        "rates": list(VatRate.objects.filter(clinic=actor.clinic)),
        "items": list(
            PriceItem.objects.filter(clinic=actor.clinic, active=True).select_related(
                "product", "vat_rate"
            )
        ),
        "offers": list(
            PackageOffer.objects.filter(clinic=actor.clinic, active=True).select_related("vat_rate")
        ),
    }
