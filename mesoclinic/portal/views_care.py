"""The patient's care pages: aftercare with a live countdown, check-ins, reporting a side
effect (triaged at once), and rating the result (GAIS)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mesoclinic.education.access import answer_for_patient
from mesoclinic.engine.inputs import InputError
from mesoclinic.followup import access as followup_access
from mesoclinic.followup import actions as followup_actions
from mesoclinic.followup.forms import CheckInForm, GaisForm
from mesoclinic.followup.sheets import sheet_context
from mesoclinic.lib import clinicday
from mesoclinic.lib.forms import bound, clean_query
from mesoclinic.lib.language import language
from mesoclinic.lib.refusals import show_on_form
from mesoclinic.lib.titles import protocol_title
from mesoclinic.treatments import access as treatments_access

from .decorators import patient_view
from .forms import PortalReportForm
from .views import emergency_number


@patient_view
def aftercare_list(request):
    now = timezone.now()
    sheets = [sheet_context(s, now) for s in followup_access.own_sheets(request.patient)]
    return render(request, "portal/aftercare_list.html", {"sheets": sheets})


@patient_view
def aftercare(request, code):
    sheet = followup_access.own_sheet(request.patient, code)
    return render(
        request,
        "portal/aftercare.html",
        {**sheet_context(sheet), "session": sheet.session},
    )


@patient_view
def checkins(request):
    now = timezone.now()
    mine = followup_access.own_checkins(request.patient)
    return render(
        request,
        "portal/checkins.html",
        {
            "open": [c for c in mine if not c.is_answered and c.due_at <= now],
            "coming": [c for c in mine if not c.is_answered and c.due_at > now][:6],
            "answered": [c for c in mine if c.is_answered][-6:],
        },
    )


@patient_view
@require_http_methods(["GET", "POST"])
def checkin(request, code):
    item = followup_access.own_checkin(request.patient, code)
    form = CheckInForm(*bound(request, files=True))
    if request.method == "POST" and not item.is_answered and form.is_valid():
        d = form.cleaned_data
        try:
            item = followup_actions.answer_checkin(
                request.actor,
                item,
                symptoms=d["symptoms"],
                severity=d["severity"],
                fever=d["fever"],
                notes=d["notes"],
                photo=d["photo"],
            )
        except ValidationError as exc:
            show_on_form(form, exc)
        else:
            if item.adverse_event_id:
                return redirect("portal:report_result", code=item.adverse_event.code)
            messages.success(request, _("Thank you for telling us."))
            return redirect("portal:checkin", code=item.code)
    return render(
        request,
        "portal/checkin.html",
        {
            "item": item,
            "form": form,
            "open": not item.is_answered and item.due_at <= timezone.now(),
            "title": protocol_title(item.session.protocol, language()),
            "emergency_number": emergency_number(),
        },
        status=400 if form.errors else 200,
    )


def _session_choices(sessions, clinic):
    lang = language()
    return [
        (
            str(s.code),
            f"{clinicday.local_date(s.signed_at, clinic)} · {protocol_title(s.protocol, lang)}",
        )
        for s in sessions
    ]


@patient_view
@require_http_methods(["GET", "POST"])
def report(request):
    sessions = treatments_access.own_sessions(request.actor)
    form = PortalReportForm(*bound(request, files=True))
    form.fields["session"].choices = _session_choices(sessions, request.actor.clinic)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        session = treatments_access.own_session(request.actor, d["session"])
        try:
            event = followup_actions.report_side_effect(
                request.actor,
                session,
                symptoms=d["symptoms"],
                severity=d["severity"],
                fever=d["fever"],
                notes=d["notes"],
                photo=d["photo"],
            )
        except ValidationError as exc:
            show_on_form(form, exc)
        else:
            return redirect("portal:report_result", code=event.code)
    return render(
        request,
        "portal/report.html",
        {"form": form, "sessions": sessions, "emergency_number": emergency_number()},
        status=400 if form.errors else 200,
    )


@patient_view
def report_result(request, code):
    event = followup_access.own_event(request.patient, code)
    return render(
        request,
        "portal/report_result.html",
        {"event": event, "emergency_number": emergency_number()},
    )


@patient_view
@require_http_methods(["GET", "POST"])
def rate(request, code):
    session = treatments_access.own_session(request.actor, code)
    form = GaisForm(*bound(request))
    form.fields["score"].label = _("Compared with before your treatment, your skin looks:")
    if request.method == "POST" and form.is_valid():
        try:
            followup_actions.record_gais(
                request.actor,
                session,
                score=form.cleaned_data["score"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("Thank you: your rating is saved."))
            return redirect("portal:home")
    return render(
        request,
        "portal/rate.html",
        {
            "form": form,
            "session": session,
            "title": protocol_title(session.protocol, language()),
            "mine": [
                g for g in followup_access.own_gais(request.patient) if g.session_id == session.pk
            ],
        },
        status=400 if form.errors else 200,
    )


@patient_view
def ask(request):
    """A question about the treatment, answered from the clinic's education articles
    (education.access.answer_for_patient), personalised with the latest session."""
    question, error = clean_query(request.GET.get("q", ""), limit=500)
    result = None
    if question:
        try:
            result = answer_for_patient(
                request.patient, question, language(), now=timezone.now(), actor=request.actor
            )
        except InputError as exc:
            error = str(exc)
    return render(
        request,
        "portal/ask.html",
        {
            "question": question,
            "result": result,
            "error": error,
            "emergency_number": emergency_number(),
        },
        status=400 if error else 200,
    )
