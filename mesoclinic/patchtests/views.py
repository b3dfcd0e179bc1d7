from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mesoclinic.accounts.decorators import staff_view
from mesoclinic.lib.refusals import show_on_form
from mesoclinic.patients.access import get_patient

from . import access, actions, status
from .forms import PatchTestForm, ReadingForm


@staff_view("record_clinical")
@require_http_methods(["GET", "POST"])
def record(request, patient):
    patient = get_patient(request.actor, patient)
    form = PatchTestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            test = actions.record_patch_test(
                request.actor,
                patient,
                substance=d["substance"],
                product_class=d["product_class"],
                site=d["site"],
                site_detail=d["site_detail"],
                applied_at=d["applied_at"],
                reading_minutes=d["reading_minutes"],
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
