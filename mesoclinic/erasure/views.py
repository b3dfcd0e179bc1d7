"""The erasure page: what will go and what the law keeps (with the reason and the
sources), then a confirmation by typing the family name. Clinic admins only."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mesoclinic.accounts.decorators import staff_view
from mesoclinic.lib.refusals import show_on_form
from mesoclinic.patients.access import get_patient

from . import actions
from .forms import EraseForm, RetentionForm
from .models import PatientErasure
from .retention import SOURCES, default_reason, policy_of


@staff_view("manage_clinic")
@require_http_methods(["GET", "POST"])
def confirm(request, code):
    patient = get_patient(request.actor, code)
    done = PatientErasure.objects.filter(patient=patient).first()
    if done is not None:
        return render(request, "erasure/done.html", {"patient": patient, "erasure": done})
    form = EraseForm(request.POST or None, family_name=patient.family_name)
    if request.method == "POST" and form.is_valid():
        try:
            actions.erase_patient(request.actor, patient, form.cleaned_data["note"])
        except actions.Refused as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("The patient's personal data was erased."))
            return redirect("erasure:confirm", code=patient.code)
    return render(
        request,
        "erasure/confirm.html",
        {"patient": patient, "form": form, "plan": actions.plan(patient), "sources": SOURCES},
        status=400 if form.errors else 200,
    )


@staff_view("manage_clinic")
@require_http_methods(["GET", "POST"])
def retention(request):
    years, reason = policy_of(request.actor.clinic)
    own = getattr(request.actor.clinic, "retention_policy", None)
    form = RetentionForm(
        request.POST or None, initial={"years": years, "reason": own.reason if own else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_retention(
                request.actor, form.cleaned_data["years"], form.cleaned_data["reason"]
            )
        except actions.Refused as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("The retention period is saved."))
            return redirect("erasure:retention")
    return render(
        request,
        "erasure/retention.html",
        {
            "form": form,
            "years": years,
            "reason": reason,
            "default": default_reason(years),
            "sources": SOURCES,
        },
        status=400 if form.errors else 200,
    )
