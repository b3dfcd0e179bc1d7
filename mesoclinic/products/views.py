from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mesoclinic.accounts.decorators import staff_view
from mesoclinic.lib import clinicday
from mesoclinic.lib.refusals import show_on_form
from mesoclinic.lib.titles import class_label

from . import access, actions, rules
from .forms import AdjustForm, DiscardForm, LotForm, ProductForm, RecallForm


def _status(form) -> int:
    return 400 if form.errors else 200


@staff_view("view_stock")
def catalogue(request):
    products = access.catalogue(request.actor)
    for p in products:
        p.class_label = class_label(p.product_class)
    return render(
        request,
        "products/list.html",
        {"products": products, "can_manage": request.actor.can("manage_stock")},
    )


@staff_view("view_stock")
def low_stock(request):
    products = access.low_stock(request.actor)
    for p in products:
        p.class_label = class_label(p.product_class)
    return render(request, "products/low_stock.html", {"products": products})


def _save_product(request, form, product=None):
    try:
        if product is None:
            return actions.create_product(request.actor, form.cleaned_data)
        return actions.update_product(request.actor, product, form.cleaned_data)
    except ValidationError as e:
        show_on_form(form, e)
        return None


@staff_view("manage_stock")
@require_http_methods(["GET", "POST"])
def create(request):
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        product = _save_product(request, form)
        if product is not None:
            messages.success(request, _("%(name)s is in the catalogue.") % {"name": product.name})
            return redirect("products:detail", code=product.code)
    return render(request, "products/product_form.html", {"form": form}, status=_status(form))


@staff_view("manage_stock")
@require_http_methods(["GET", "POST"])
def edit(request, code):
    product = access.get_product(request.actor, code)
    form = ProductForm(request.POST or None, instance=product)
    if request.method == "POST" and form.is_valid() and _save_product(request, form, product):
        messages.success(request, _("Saved."))
        return redirect("products:detail", code=product.code)
    return render(
        request,
        "products/product_form.html",
        {"form": form, "product": product},
        status=_status(form),
    )


def _product_page(request, product, lot_form=None, status=200):
    now = timezone.now()
    lots = access.lots_for(request.actor, product)
    for lot in lots:
        lot.status = rules.lot_status(lot, now)
        lot.status_label = rules.STATUS_LABELS[lot.status]
        lot.badge = rules.STATUS_BADGES[lot.status]
    can_manage = request.actor.can("manage_stock")
    context = {
        "product": product,
        "class_label": class_label(product.product_class),
        "prescription_only": rules.is_prescription_only(product.product_class),
        "recognised": rules.recognised_classes(product.ingredients),
        "lots": lots,
        "usable_total": sum(lot.quantity_remaining for lot in lots if lot.status == rules.USABLE),
        "lot_form": (lot_form or LotForm()) if can_manage and product.is_active else None,
        "can_manage": can_manage,
        "tz": clinicday.zone(request.actor.clinic),
    }
    return render(request, "products/product.html", context, status=status)


@staff_view("view_stock")
def detail(request, code):
    return _product_page(request, access.get_product(request.actor, code))


@staff_view("manage_stock")
@require_POST
def receive(request, code):
    product = access.get_product(request.actor, code)
    form = LotForm(request.POST)
    if form.is_valid():
        try:
            lot = actions.receive_lot(request.actor, product, **form.cleaned_data)
        except ValidationError as e:
            show_on_form(form, e)
        else:
            if reasons := rules.unusable_reasons(lot, timezone.now()):
                messages.warning(
                    request,
                    _("Lot %(lot)s is recorded but cannot be used: %(why)s")
                    % {"lot": lot.lot_number, "why": " ".join(reasons)},
                )
            else:
                messages.success(request, _("Lot %(lot)s is received.") % {"lot": lot.lot_number})
            return redirect("products:detail", code=product.code)
    return _product_page(request, product, lot_form=form, status=400)


def _lot_page(request, lot, forms=None, status=200):
    forms = forms or {}
    now = timezone.now()
    actor = request.actor
    status_key = rules.lot_status(lot, now)
    manage = actor.can("manage_stock")
    context = {
        "lot": lot,
        "product": lot.product,
        "status": status_key,
        "status_label": rules.STATUS_LABELS[status_key],
        "badge": rules.STATUS_BADGES[status_key],
        "reasons": rules.unusable_reasons(lot, now),
        "moves": access.moves_for(actor, lot),
        "can_open": manage
        and lot.product.multi_dose
        and lot.opened_at is None
        and status_key == rules.USABLE,
        "adjust_form": forms.get("adjust", AdjustForm()) if manage else None,
        "discard_form": forms.get("discard", DiscardForm())
        if manage and lot.quantity_remaining > 0
        else None,
        "can_recall": actor.can("recall_lot") and lot.recalled_at is None,
        "errors": forms.get("errors", []),
        "tz": clinicday.zone(actor.clinic),
    }
    return render(request, "products/lot.html", context, status=status)


@staff_view("view_stock")
def lot_detail(request, code):
    return _lot_page(request, access.get_lot(request.actor, code))


@staff_view("manage_stock")
@require_POST
def open_lot(request, code):
    lot = access.get_lot(request.actor, code)
    try:
        actions.open_lot(request.actor, lot)
    except ValidationError as e:
        return _lot_page(request, lot, {"errors": e.messages}, status=400)
    messages.success(
        request,
        _("Vial opened. Discard it by %(time)s.")
        % {"time": clinicday.local_text(lot.discard_by, lot.product.clinic)},
    )
    return redirect("products:lot", code=lot.code)


def _lot_form_view(request, code, form_class, key, run, done):
    lot = access.get_lot(request.actor, code)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            run(lot, form.cleaned_data)
        except ValidationError as e:
            show_on_form(form, e)
        else:
            messages.success(request, done)
            return redirect("products:lot", code=lot.code)
    return _lot_page(request, lot, {key: form}, status=400)


@staff_view("manage_stock")
@require_POST
def adjust(request, code):
    def run(lot, d):
        actions.adjust_stock(request.actor, lot, d["delta"], d["reason"])

    return _lot_form_view(request, code, AdjustForm, "adjust", run, _("Stock adjusted."))


@staff_view("manage_stock")
@require_POST
def discard(request, code):
    def run(lot, d):
        actions.discard_lot(request.actor, lot, reason=d["reason"], quantity=d["quantity"])

    return _lot_form_view(request, code, DiscardForm, "discard", run, _("Discarded."))


@staff_view("recall_lot")
@require_http_methods(["GET", "POST"])
def recall(request, code):
    lot = access.get_lot(request.actor, code)
    form = RecallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.recall_lot(request.actor, lot, form.cleaned_data["reason"])
        except ValidationError as e:
            show_on_form(form, e)
        else:
            messages.success(
                request,
                _("Lot %(lot)s is recalled. Every further use is refused.")
                % {"lot": lot.lot_number},
            )
            return redirect("products:lot", code=lot.code)
    return render(request, "products/recall.html", {"form": form, "lot": lot}, status=_status(form))
