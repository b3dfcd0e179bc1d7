from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mesoclinic.accounts.decorators import staff_view
from mesoclinic.engine.knowledge import load, text
from mesoclinic.lib import clinicday
from mesoclinic.lib.csvfile import csv_response, csv_text
from mesoclinic.lib.language import language
from mesoclinic.lib.refusals import flash, show_on_form
from mesoclinic.lib.titles import protocol_title
from mesoclinic.patients import access as patients_access
from mesoclinic.products.access import get_lot, products_for
from mesoclinic.screening import access as screening_access

from . import access, actions, amendments, chart_templates
from .charting_views import charting_context
from .forms import AmendForm, DetailsForm, PlanForm
from .gate import check_gate
from .progress import progress


@staff_view("record_clinical")
@require_http_methods(["GET", "POST"])
def plan_new(request, code):
    actor = request.actor
    patient = patients_access.get_patient(actor, code, audit=None)
    screening = screening_access.get_screening(
        actor, request.GET.get("screening") or request.POST.get("screening")
    )
    if screening.patient_id != patient.pk:
        return HttpResponse(status=404)
    products, screened = plan_products(products_for(actor).filter(is_active=True), screening)
    form = PlanForm(
        request.POST or None,
        protocol=screening.protocol,
        products=products,
        clinic=actor.clinic,
        initial={
            "start_date": screening.planned_date,
            "zones": [z.id for z in load().protocols[screening.protocol].zones],
            "products": screened,
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            plan = actions.create_plan(
                actor,
                patient,
                screening,
                start_date=d["start_date"],
                sessions=d["sessions"],
                products=list(d["products"]),
                concerns=d["concerns"],
                zones=d["zones"],
            )
        except actions.Refused as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("Plan created."))
            return redirect("treatments:plan", code=plan.code)
    k = load()
    return render(
        request,
        "treatments/plan_new.html",
        {
            "form": form,
            "patient": patient,
            "screening": screening,
            "protocol": protocol_title(screening.protocol, k=k),
            "decision": screening_access.effective_decision(screening),
        },
        status=400 if form.errors else 200,
    )


def plan_products(catalogue, screening):
    """(the products a plan for this screening may hold, those preselected). The screening
    is of one protocol: when it named catalogue products, the plan offers those (any other
    would fail the gate's screening line); else the whole catalogue in use."""
    names = [p.get("name") for p in screening.products or [] if p.get("name")]
    screened = list(catalogue.filter(name__in=names)) if names else []
    if screened:
        return catalogue.filter(pk__in=[p.pk for p in screened]), screened
    return catalogue, []


@staff_view("view_clinical")
def plan_detail(request, code):
    plan = access.get_plan(request.actor, code)
    sessions = list(plan.sessions.order_by("number"))
    k = load()
    return render(
        request,
        "treatments/plan.html",
        {
            "plan": plan,
            "sessions": sessions,
            "progress": progress(plan, sessions, request.actor.clinic),
            "protocol": protocol_title(plan.protocol, k=k),
            "products": list(plan.products.all()),
            "zones": [
                text(z.label, language())
                for z in k.protocols[plan.protocol].zones
                if z.id in plan.zones
            ],
            "gate": check_gate(request.actor, plan)
            if request.actor.can("record_clinical") and plan.status == "active"
            else [],
        },
    )


@staff_view("record_clinical")
@require_POST
def session_start(request, code):
    plan = access.get_plan(request.actor, code)
    try:
        session = actions.start_session(request.actor, plan)
    except actions.Refused as exc:
        flash(request, exc)
        return redirect("treatments:plan", code=plan.code)
    return redirect("treatments:session", code=session.code)


@staff_view("view_clinical")
def session_detail(request, code):
    session = access.get_session(request.actor, code)
    return render(request, "treatments/session.html", charting_context(request, session))


@staff_view("record_clinical")
@require_POST
def details(request, code):
    session = access.get_session(request.actor, code)
    form = DetailsForm(request.POST)
    if form.is_valid():
        try:
            actions.update_details(request.actor, session, form.cleaned_data)
            messages.success(request, _("Session details saved."))
            return redirect("treatments:session", code=session.code)
        except actions.Refused as exc:
            show_on_form(form, exc)
    return render(
        request,
        "treatments/session.html",
        charting_context(request, session, details_form=form),
        status=400,
    )


@staff_view("record_clinical")
@require_POST
def copy_forward(request, code):
    session = access.get_session(request.actor, code)
    try:
        copied, notes = chart_templates.copy_forward(request.actor, session)
        messages.success(
            request, _("%(n)s points copied from the previous session.") % {"n": copied}
        )
        for note in notes:
            messages.warning(request, note)
    except actions.Refused as exc:
        flash(request, exc)
    return redirect("treatments:session", code=session.code)


@staff_view("record_clinical")
@require_POST
def sign(request, code):
    session = access.get_session(request.actor, code)
    try:
        actions.sign_off(request.actor, session, recall_note=request.POST.get("recall_note", ""))
        messages.success(
            request, _("Session signed off. Later changes are amendments with a reason.")
        )
    except actions.Refused as exc:
        flash(request, exc)
    return redirect("treatments:session", code=session.code)


@staff_view("record_clinical")
@require_http_methods(["GET", "POST"])
def amend(request, code):
    session = access.get_session(request.actor, code)
    points = access.points_of(session)
    initial = {
        "pain_score": session.pain_score,
        "reactions": session.reactions,
        "notes": session.notes,
        "anaesthetic_applied_at": session.anaesthetic_applied_at
        and clinicday.local(session.anaesthetic_applied_at, request.actor.clinic),
        "anaesthetic_removed_at": session.anaesthetic_removed_at
        and clinicday.local(session.anaesthetic_removed_at, request.actor.clinic),
    }
    form = AmendForm(request.POST or None, points=points, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        changed = {f: d[f] for f in actions.DETAILS if f in form.changed_data}
        remove = [p for p in points if str(p.code) in d["remove"]]
        try:
            amendments.amend(
                request.actor, session, reason=d["reason"], details=changed, remove_points=remove
            )
            messages.success(request, _("Amendment recorded."))
            return redirect("treatments:session", code=session.code)
        except actions.Refused as exc:
            show_on_form(form, exc)
    return render(
        request,
        "treatments/amend.html",
        {"form": form, "session": session, "patient": session.patient},
        status=400 if form.errors else 200,
    )


@staff_view("view_lot_exposure")
def lot_exposure(request, code):
    lot = get_lot(request.actor, code)
    rows = access.exposure(request.actor, lot)
    if request.GET.get("format") == "csv":
        header = [
            "patient_code",
            "patient",
            "birth_date",
            "phone",
            "session_code",
            "session_number",
            "date",
            "points",
            "volume_ml",
            "product",
            "lot",
        ]
        lines = [
            [
                r["patient"].code,
                r["patient"].full_name,
                r["patient"].birth_date,
                r["patient"].phone,
                r["session"].code,
                r["session"].number,
                clinicday.local_text(r["date"], request.actor.clinic),
                r["points"],
                r["volume_ml"],
                lot.product.name,
                lot.lot_number,
            ]
            for r in rows
        ]
        return csv_response(csv_text(header, lines), "lot", lot.lot_number, "exposure")
    return render(request, "treatments/exposure.html", {"lot": lot, "rows": rows})
