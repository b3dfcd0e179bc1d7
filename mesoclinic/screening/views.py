import uuid

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mesoclinic.accounts.decorators import staff_view
from mesoclinic.engine.knowledge import load
from mesoclinic.lib import clinicday
from mesoclinic.lib.language import language
from mesoclinic.lib.refusals import show_on_form
from mesoclinic.lib.titles import protocol_title
from mesoclinic.patients import access as patients_access
from mesoclinic.products.access import products_for

from . import access, actions
from .actions import MAX_PRODUCTS
from .forms import OverrideForm, ScreenForm
from .models import Decision


def _codes(value: str | None) -> list[uuid.UUID]:
    """The product codes of a "fix this" link (?products=code,code); bad ones left out."""
    codes = []
    for part in (value or "").split(",")[:MAX_PRODUCTS]:
        try:
            codes.append(uuid.UUID(part.strip()))
        except ValueError:
            continue
    return codes


@staff_view("record_clinical")
@require_http_methods(["GET", "POST"])
def new(request, code):
    """Screen a patient for a protocol, a planned date and the products intended."""
    actor = request.actor
    patient = patients_access.get_patient(actor, code)  # audited: the page shows its intake
    k = load()
    lang = language()
    catalogue = products_for(actor).filter(is_active=True)
    form = ScreenForm(
        request.POST or None,
        knowledge=k,
        lang=lang,
        today=clinicday.today(actor.clinic),
        catalogue=catalogue,
        initial={
            "protocol": request.GET.get("protocol", "")[:64],
            "catalogue": list(catalogue.filter(code__in=_codes(request.GET.get("products")))),
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            screening = actions.screen_patient(
                actor, patient, d["protocol"], d["planned_date"], d["products"], lang=lang
            )
        except actions.Refused as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("The screening is recorded."))
            return redirect("screening:detail", code=screening.code)
    return render(
        request,
        "screening/new.html",
        {"form": form, "patient": patient, "intake": patient.current_intake},
        status=400 if form.errors else 200,
    )


def _show(request, screening, form=None, status=200):
    actor = request.actor
    patient = screening.patient
    k = load()
    lang = language()
    today = clinicday.today(actor.clinic)
    labels = dict(Decision.choices)
    findings = [
        {**f, "label": labels.get(f["decision"], f["decision"])} for f in screening.findings
    ]
    refusal = actions.why_not_override(screening, patient, today)
    can_override = actor.can("override_screening")
    if form is None and can_override and refusal is None:
        form = OverrideForm()
    effective = access.effective_decision(screening)
    context = {
        "screening": screening,
        "patient": patient,
        "override": screening.override_or_none,
        "protocol_title": protocol_title(screening.protocol, lang, k),
        "decision": effective,
        "decision_label": labels.get(effective, effective),
        "engine_label": labels.get(screening.decision, screening.decision),
        "findings": findings,
        "reviews": [f for f in findings if f["decision"] == Decision.REVIEW],
        "currency": access.currency(screening, patient, today),
        "today": today,
        "knowledge_changed": screening.knowledge_version != k.version,
        "after_label": labels[access.decision_without_reviews(screening.findings)],
        "can_override": can_override,
        "perms_screen": actor.can("record_clinical"),
        "refusal": refusal,
        "form": form,
    }
    return render(request, "screening/detail.html", context, status=status)


@staff_view("view_clinical")
@require_http_methods(["GET"])
def detail(request, code):
    """The stored result, with every finding's reason and sources, and whether it is current."""
    return _show(request, access.get_screening(request.actor, code))


@staff_view("override_screening")
@require_http_methods(["GET", "POST"])
def override(request, code):
    """A physician overrides a `review` with a written reason."""
    actor = request.actor
    if request.method == "GET":
        return _show(request, access.get_screening(actor, code))
    screening = access.get_screening(actor, code, audit_as=None)
    form = OverrideForm(request.POST)
    refusal = actions.why_not_override(screening, screening.patient, clinicday.today(actor.clinic))
    if form.is_valid() and refusal is None:
        try:
            actions.override_review(actor, screening, form.cleaned_data["reason"])
        except actions.Refused as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("The override is recorded."))
            return redirect("screening:detail", code=screening.code)
    elif refusal is not None:
        form.add_error(None, refusal)
    access.note_view(actor, screening)  # the page shown again reads the screening
    return _show(request, access.get_screening(actor, code, audit_as=None), form, status=400)
