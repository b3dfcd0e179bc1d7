import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mesoclinic.accounts.decorators import staff_view
from mesoclinic.lib.refusals import show_on_form
from mesoclinic.patients.access import get_patient
from mesoclinic.products.access import products_for

from . import access, actions, status
from .forms import PatchTestForm, ReadingForm, VoidForm


@staff_view("record_clinical")
@require_http_methods(["GET", "POST"])
def record(request, patient):
    patient = get_patient(request.actor, patient)
    products = testable_products(request.actor)
    wanted = (
        products.filter(code=request.GET["product"]).first()
        if _uuid(request.GET.get("product"))
        else None
    )
    form = PatchTestForm(request.POST or None, products=products, initial={"product": wanted})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            test = actions.record_patch_test(
                request.actor,
                patient,
                product=d["product"],
                site=d["site"],
                site_detail=d["site_detail"],
                applied_at=d["applied_at"],
            )
        except ValidationError as exc:
            show_on_form(form, exc)
        else:
            messages.success(
                request,
                _("Patch test to %(what)s recorded; read it from %(when)s.")
                % {"what": test.substance, "when": status.when(test.read_not_before)},
            )
            return redirect("patients:chart", code=patient.code)
    return render(
        request,
        "patchtests/record.html",
        {"form": form, "patient": patient},
        status=400 if form.errors else 200,
    )


def _uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def testable_products(actor):
    """The catalogue's products in use that need a patch test (they have a reading time)."""
    return products_for(actor).filter(is_active=True, patch_test_reading_minutes__isnull=False)


@staff_view("record_clinical")
@require_http_methods(["GET", "POST"])
def void(request, code):
    """Void a test entered by mistake, with a reason; a new one can then be recorded."""
    test = access.get_patch_test(request.actor, code)
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.void_patch_test(request.actor, test, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            show_on_form(form, exc)
        else:
            messages.success(
                request,
                _("The patch test to %(what)s is voided; it no longer counts for treatment.")
                % {"what": test.substance},
            )
            return redirect("patients:chart", code=test.patient.code)
    return render(
        request,
        "patchtests/void.html",
        {"form": form, "test": test, "what": status.describe(test), "patient": test.patient},
        status=400 if form.errors else 200,
    )


@staff_view("record_clinical")
@require_http_methods(["GET", "POST"])
def read(request, code):
    test = access.get_patch_test(request.actor, code)
    form = ReadingForm(request.POST or None, test=test)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            test = actions.read_patch_test(
                request.actor,
                test,
                result=d["result"],
                read_at=d["read_at"],
                reaction_notes=d["reaction_notes"],
            )
        except ValidationError as exc:
            show_on_form(form, exc)
        else:
            messages.success(
                request,
                _("Patch test to %(what)s read: %(result)s.")
                % {"what": test.substance, "result": test.get_result_display()},
            )
            return redirect("patients:chart", code=test.patient.code)
    return render(
        request,
        "patchtests/read.html",
        {
            "form": form,
            "test": test,
            "what": status.describe(test),
            "patient": test.patient,
            "state": status.state(test, timezone.now()),
        },
        status=400 if form.errors else 200,
    )
