"""Billing pages: a patient's account, invoices (HTML and PDF), the daily close, the
accountant's export and the price list."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mesoclinic.accounts.decorators import staff_view
from mesoclinic.audit.actions import record
from mesoclinic.engine.knowledge import load
from mesoclinic.lib import clinicday, csvfile, money, pdf
from mesoclinic.lib.forms import bound
from mesoclinic.lib.refusals import flash, show_on_form
from mesoclinic.patients import access as patients
from mesoclinic.products.access import products_for

from . import access, actions, credits, pricing
from .forms import (
    CreditForm,
    DepositForm,
    DiscountForm,
    OfferForm,
    PaymentForm,
    PriceForm,
    RangeForm,
    ReasonForm,
    RefundForm,
    SettingsForm,
    VatForm,
)


@staff_view("view_billing")
def home(request):
    actor = request.actor
    return render(
        request,
        "billing/home.html",
        {
            "to_invoice": access.sessions_to_invoice(actor),
            "billing": pricing.settings_for(actor.clinic),
            "today": clinicday.today(actor.clinic),
            "range": RangeForm(),
        },
    )


def _account_page(request, patient, payment_form=None, discount_form=None, status=200):
    actor = request.actor
    context = access.account(actor, patient)
    live = [i for i in context["invoices"] if not i.is_credit_note]
    plans = access.plans_with_offers(actor, patient) if actor.can("issue_invoices") else []
    context.update(
        payment_form=payment_form or PaymentForm(invoices=live),
        discount_form=discount_form or DiscountForm(),
        to_invoice=[s for s in access.sessions_to_invoice(actor) if s.patient_id == patient.pk],
        plans=plans,
        refund_form=RefundForm(),
        reason_form=ReasonForm(),
    )
    return render(request, "billing/account.html", context, status=status)


@staff_view("view_billing")
def account(request, code):
    patient = patients.get_patient(request.actor, code, audit=None)
    return _account_page(request, patient)


@staff_view("view_billing")
def panel(request, code):
    """The chart's billing panel (balance, packages, deposits), loaded after the chart."""
    patient = patients.get_patient(request.actor, code, audit=None)
    return render(
        request,
        "billing/_panel_body.html",
        {"panel": access.account(request.actor, patient, audit=False)},
    )


@staff_view("take_payments")
@require_POST
def pay(request, code):
    patient = patients.get_patient(request.actor, code, audit=None)
    invoices = [i for i in access.account(request.actor, patient, audit=False)["invoices"]]
    form = PaymentForm(*bound(request), invoices=[i for i in invoices if not i.is_credit_note])
    if form.is_valid():
        invoice = next((i for i in invoices if str(i.code) == form.cleaned_data["invoice"]), None)
        try:
            actions.take_payment(
                request.actor,
                patient,
                form.cleaned_data["amount"],
                form.cleaned_data["method"],
                invoice=invoice,
                note=form.cleaned_data["note"],
            )
        except ValidationError as e:
            show_on_form(form, e)
        else:
            messages.success(request, _("Payment recorded."))
            return redirect("billing:account", code=patient.code)
    return _account_page(request, patient, payment_form=form, status=400)


@staff_view("issue_invoices")
@require_POST
def invoice_session(request, code):
    session = access.session_for_invoice(request.actor, code)
    form = DiscountForm(*bound(request))
    if form.is_valid():
        try:
            invoice = actions.invoice_session(
                request.actor,
                session,
                discount=form.cleaned_data["discount"] or 0,
                discount_reason=form.cleaned_data["discount_reason"],
            )
        except ValidationError as e:
            flash(request, e)
        else:
            messages.success(request, _("Invoice %(n)s issued.") % {"n": invoice.number_text})
            return redirect("billing:invoice", code=invoice.code)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("billing:account", code=session.patient.code)


@staff_view("issue_invoices")
@require_POST
def sell_package(request, code):
    plan = access.plan_for_sale(request.actor, code)
    offer = access.get_offer(request.actor, request.POST.get("offer"))
    if offer is None:
        messages.error(request, _("Choose a package offered for this plan."))
        return redirect("billing:account", code=plan.patient.code)
    form = DiscountForm(*bound(request))
    if form.is_valid():
        try:
            actions.sell_package(
                request.actor,
                plan,
                offer,
                discount=form.cleaned_data["discount"] or 0,
                discount_reason=form.cleaned_data["discount_reason"],
            )
        except ValidationError as e:
            flash(request, e)
        else:
            messages.success(request, _("Package sold."))
    return redirect("billing:account", code=plan.patient.code)


def _invoice_page(request, inv, form=None, status=200):
    left = [] if inv.is_credit_note else credits.left_to_credit(inv)
    return render(
        request,
        "billing/invoice.html",
        {
            "invoice": inv,
            "lines": list(inv.lines.all()),
            "credit_form": form or CreditForm(lines=left, digits=inv.minor_digits),
            "left": left,
            "anything_left": any(entry.gross for entry in left),
            "credit_notes": list(inv.credit_notes.order_by("issued_at", "id")),
            "by_rate": _by_rate(inv),
        },
        status=status,
    )


@staff_view("view_billing")
def invoice(request, code):
    return _invoice_page(request, access.get_invoice(request.actor, code))


def _by_rate(inv):
    rates: dict = {}
    for line in inv.lines.all():
        r = rates.setdefault(line.vat_percent, {"rate": line.vat_percent, "net": 0, "vat": 0})
        r["net"] += line.net
        r["vat"] += line.vat
    return list(rates.values())


@staff_view("view_billing")
def invoice_pdf(request, code):
    inv = access.get_invoice(request.actor, code)
    language = inv.language if inv.language in ("en", "tr") else "en"
    data = pdf.render_pdf(
        "billing/invoice_pdf.html",
        {"invoice": inv, "lines": list(inv.lines.all()), "by_rate": _by_rate(inv)},
        language=language,
    )
    return pdf.pdf_response(data, f"{inv.number_text}.pdf")


@staff_view("refund")
@require_POST
def credit(request, code):
    """A credit note for all that is left of the invoice ("all" pressed), or for the
    amounts entered on its lines."""
    inv = access.get_invoice(request.actor, code, audit=False)
    left = credits.left_to_credit(inv) if not inv.is_credit_note else []
    form = CreditForm(*bound(request), lines=left, digits=inv.minor_digits)
    if form.is_valid():
        amounts = None if "all" in request.POST else form.amounts()
        try:
            note = actions.credit(
                request.actor, inv, reason=form.cleaned_data["reason"], amounts=amounts
            )
        except ValidationError as e:
            show_on_form(form, e)
        else:
            messages.success(request, _("Credit note %(n)s issued.") % {"n": note.number_text})
            return redirect("billing:invoice", code=note.code)
    return _invoice_page(request, inv, form=form, status=400)


@staff_view("refund")
@require_POST
def refund(request, code):
    payment = access.get_payment(request.actor, code)
    form = RefundForm(*bound(request))
    try:
        if not form.is_valid():
            raise ValidationError([e for errs in form.errors.values() for e in errs])
        actions.refund(
            request.actor, payment, form.cleaned_data["amount"], reason=form.cleaned_data["reason"]
        )
    except ValidationError as e:
        flash(request, e)
    else:
        messages.success(request, _("Refund recorded."))
    return redirect("billing:account", code=payment.patient.code)


@staff_view("take_payments")
@require_http_methods(["GET", "POST"])
def deposit(request, code):
    appointment = access.appointment_for_deposit(request.actor, code)
    form = DepositForm(*bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.take_deposit(
                request.actor, appointment, form.cleaned_data["amount"], form.cleaned_data["method"]
            )
        except ValidationError as e:
            show_on_form(form, e)
        else:
            messages.success(request, _("Deposit recorded."))
            return redirect("billing:account", code=appointment.patient.code)
    return render(
        request,
        "billing/deposit.html",
        {"form": form, "appointment": appointment},
        status=400 if form.errors else 200,
    )


def _day(request) -> dt.date:
    raw = request.GET.get("day", "")
    try:
        return dt.date.fromisoformat(raw) if raw else clinicday.today(request.actor.clinic)
    except ValueError:
        return clinicday.today(request.actor.clinic)


@staff_view("view_billing")
def daily_close(request):
    day = _day(request)
    context = access.daily_close(request.actor, day)
    context.update(previous=day - dt.timedelta(days=1), next=day + dt.timedelta(days=1))
    return render(request, "billing/close.html", context)


@staff_view("view_billing")
def export(request):
    form = RangeForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "billing/home.html",
            {
                "range": form,
                "to_invoice": [],
                "billing": pricing.settings_for(request.actor.clinic),
                "today": clinicday.today(request.actor.clinic),
            },
            status=400,
        )
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    rows = []
    for inv in access.invoices_between(request.actor, start, end):
        d = inv.minor_digits
        rows.extend(
            [
                inv.number_text,
                inv.get_kind_display(),
                clinicday.local_date(inv.issued_at, request.actor.clinic).isoformat(),
                inv.credits.number_text if inv.credits else "",
                inv.buyer_name,
                line.description,
                line.quantity,
                money.as_decimal(line.net, d),
                line.vat_percent,
                money.as_decimal(line.vat, d),
                money.as_decimal(line.gross, d),
                inv.currency,
            ]
            for line in inv.lines.all()
        )

    record(request.actor, "export", None, summary=f"invoices {start}..{end}: {len(rows)} lines")
    header = [
        _("Number"),
        _("Kind"),
        _("Date"),
        _("Credits"),
        _("Patient"),
        _("Line"),
        _("Quantity"),
        _("Net"),
        _("VAT %"),
        _("VAT"),
        _("Gross"),
        _("Currency"),
    ]
    return csvfile.csv_response(csvfile.csv_text(header, rows), "invoices", start, end)


@staff_view("view_billing")
@require_http_methods(["GET", "POST"])
def prices(request):

    actor = request.actor
    clinic = actor.clinic
    protocols = [(p, p) for p in sorted(load().protocols)]
    price_list = access.price_list(actor)
    rates = price_list["rates"]
    rate_choices = [(str(r.code), str(r)) for r in rates]
    products = list(products_for(actor))
    which = request.POST.get("form", "")
    billing = pricing.settings_for(clinic)
    settings_form = SettingsForm(
        request.POST if which == "settings" else None,
        instance=billing,
    )
    vat_form = VatForm(request.POST if which == "vat" else None, prefix="vat")
    price_form = PriceForm(request.POST if which == "price" else None, prefix="price")
    offer_form = OfferForm(request.POST if which == "offer" else None, prefix="offer")
    for f in (price_form, offer_form):
        f.fields["protocol"].choices = protocols
        f.fields["vat_rate"].choices = rate_choices
    price_form.fields["product"].choices = [("", "—")] + [(str(p.code), p.name) for p in products]
    if request.method == "POST":
        actor.require("set_prices")
        form = {
            "vat": vat_form,
            "price": price_form,
            "offer": offer_form,
            "settings": settings_form,
        }.get(which)
        if form is not None and form.is_valid():
            d = form.cleaned_data
            try:
                if which == "settings":
                    actions.update_settings(actor, billing, d)
                elif which == "vat":
                    actions.add_vat_rate(actor, d["name"], d["percent"], default=d["is_default"])
                else:
                    rate = next(r for r in rates if str(r.code) == d["vat_rate"])
                    if which == "price":
                        product = next((p for p in products if str(p.code) == d["product"]), None)
                        actions.set_price(
                            actor, d["protocol"], d["kind"], d["amount"], rate, product
                        )
                    else:
                        actions.create_offer(
                            actor, d["name"], d["protocol"], d["sessions"], d["amount"], rate
                        )
            except ValidationError as e:
                show_on_form(form, e)
            else:
                messages.success(request, _("Saved."))
                return redirect("billing:prices")

    return render(
        request,
        "billing/prices.html",
        {
            "billing": billing,
            "settings_form": settings_form,
            **price_list,
            "vat_form": vat_form,
            "price_form": price_form,
            "offer_form": offer_form,
            "can_set": actor.can("set_prices"),
        },
        status=400 if request.method == "POST" else 200,
    )
