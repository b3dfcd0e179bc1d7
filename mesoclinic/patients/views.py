from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mesoclinic.accounts.decorators import staff_view
from mesoclinic.engine.knowledge import load, text
from mesoclinic.engine.screening import allergy_names
from mesoclinic.lib import clinicday
from mesoclinic.lib.forms import clean_query
from mesoclinic.lib.language import language
from mesoclinic.lib.refusals import Forbidden

from . import access, actions
from . import chart as charts
from .forms import IntakeForm, PatientForm, RegisterForm, age
from .models import IntakeSource


@staff_view("view_demographics")
def patient_list(request):
    query, problem = clean_query(request.GET.get("q", ""))
    found = [] if problem else access.search(request.actor, query)
    template = (
        "patients/_results.html" if request.headers.get("HX-Request") else "patients/list.html"
    )
    return render(request, template, {"patients": found, "query": query, "problem": problem})


@staff_view("edit_demographics")
@require_http_methods(["GET", "POST"])
def register(request):
    """Register a patient; a possible duplicate is shown first and needs an explicit "this
    is a different person" before anything is saved."""
    actor = request.actor
    form = RegisterForm(request.POST or None, clinic=actor.clinic)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        duplicates = access.possible_duplicates(
            actor,
            given_name=d["given_name"],
            family_name=d["family_name"],
            birth_date=d["birth_date"],
            phone=d.get("phone", ""),
        )
        if not duplicates or d["different_person"]:
            patient = actions.register_patient(actor, d)
            messages.success(request, _("%(name)s is registered.") % {"name": patient.full_name})
            return redirect("patients:chart", code=patient.code)
    status = 400 if form.errors or duplicates else 200
    context = {"form": form, "duplicates": duplicates}
    return render(request, "patients/register.html", context, status=status)


@staff_view("view_demographics")
def patient_chart(request, code):
    """The chart: its top (history, screenings, patch tests, every safety alert) at a fixed
    small number of queries; the panels below and the timeline are loaded as they scroll
    into view (`chart_part`). `?full=1` reads everything at once (the chart without
    JavaScript: each placeholder links there)."""
    # No transaction of its own: the reads are plain reads, and the request's audit rows
    # are written in one statement when it ends (audit.middleware), one commit in all.
    patient = access.get_patient(request.actor, code)
    chart = charts.build(request.actor, patient, full=request.GET.get("full") == "1")
    lang = language()
    k = load()
    allergies = []
    if chart.intake:
        for name in chart.intake.answers.get("allergies", []) or []:
            subs, class_ids = allergy_names(k, name)  # synonyms, brands, classes, typos
            classes = [text(k.classes[c].label, lang) for c in sorted(class_ids)]
            allergies.append({"name": name, "known": bool(subs or class_ids), "classes": classes})
    return render(
        request,
        "patients/chart.html",
        {
            "patient": patient,
            "chart": chart,
            "age": age(patient.birth_date, clinicday.today(request.actor.clinic)),
            "allergies": allergies,
            "timeline_part": {"patient": patient, "name": charts.TIMELINE, "title": _("History")},
            "phone_intake": (
                patient.current_intake_id is None
                and not chart.clinical
                and request.actor.can("take_phone_intake")
            ),
        },
    )


@staff_view("view_clinical")
def chart_part(request, code, part):
    """One part of the chart loaded after it (htmx): a lower panel, or the timeline."""
    if part not in charts.part_names():
        raise Http404("no such part of the chart")
    patient = access.get_patient(request.actor, code)
    if part == charts.TIMELINE:
        chart = charts.build(request.actor, patient, full=True)
        return render(request, "patients/_timeline.html", {"chart": chart})
    panel = charts.build_part(request.actor, patient, part)
    if panel is None:
        return HttpResponse("")  # nothing for this actor: the placeholder goes away
    template, context = panel
    return render(request, template, {"panel": context})


@staff_view("edit_demographics")
@require_http_methods(["GET", "POST"])
def edit(request, code):
    # opening the edit page shows the demographics: a read (a save records its own update)
    patient = access.get_patient(
        request.actor, code, audit="view" if request.method == "GET" else None
    )
    form = PatientForm(request.POST or None, instance=patient, clinic=request.actor.clinic)
    if request.method == "POST" and form.is_valid():
        actions.update_demographics(
            request.actor, access.get_patient(request.actor, code, audit=None), form.cleaned_data
        )
        messages.success(request, _("Saved."))
        return redirect("patients:chart", code=patient.code)
    return render(
        request,
        "patients/edit.html",
        {"form": form, "patient": patient},
        status=400 if form.errors else 200,
    )


def _intake_mode(actor, patient) -> str:
    """ "staff" for a physician or nurse; "phone" for the front desk taking a first medical
    history by phone (accounts/roles.py: take_phone_intake), who never sees one on file."""
    if actor.can("record_clinical"):
        return IntakeSource.STAFF
    actor.require("take_phone_intake")
    if patient.current_intake_id is not None:
        raise Forbidden(
            _(
                "This patient already has a medical history on file: a physician or nurse "
                "updates it."
            ),
            "phone intake only for a patient without one",
        )
    return IntakeSource.PHONE


@staff_view()
@require_http_methods(["GET", "POST"])
def intake(request, code):
    actor = request.actor
    patient = access.get_patient(actor, code, audit="view")
    mode = _intake_mode(actor, patient)
    current = patient.current_intake if mode == IntakeSource.STAFF else None
    form = IntakeForm(
        request.POST or None, patient=patient, initial=IntakeForm.initial_from(current)
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        version = actions.record_intake(
            actor,
            patient,
            answers=d["answers"],
            fitzpatrick=d["fitzpatrick"],
            medicines=d["medicines"],
            conditions=d["conditions_list"],
            notes=d["notes"],
            source=mode,
        )
        if mode == IntakeSource.PHONE:
            messages.success(
                request,
                _("The medical history of %(name)s taken by phone is saved.")
                % {"name": patient.full_name},
            )
            return redirect("scheduling:desk")
        messages.success(request, _("Intake version %(n)s saved.") % {"n": version.number})
        return redirect("patients:chart", code=patient.code)
    status = 400 if form.errors else 200
    return render(
        request,
        "patients/intake.html",
        {"form": form, "patient": patient, "current": current, "by_phone": mode == "phone"},
        status=status,
    )
