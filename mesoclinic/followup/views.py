"""Staff pages: the clinic's alert dashboard, the adverse-event register (with CSV), an
adverse event, a side-effect report and a GAIS score for a session, and the photos
patients sent."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mesoclinic.accounts.decorators import staff_view
from mesoclinic.accounts.security import background_poll
from mesoclinic.audit.actions import record
from mesoclinic.lib import clinicday
from mesoclinic.lib.csvfile import csv_response
from mesoclinic.lib.forms import bound
from mesoclinic.lib.refusals import show_on_form
from mesoclinic.treatments import access as treatments_access

from . import access, actions, policy
from .export import register_csv
from .forms import EventForm, GaisForm, RegisterFilter, StaffReportForm
from .models import Level
from .sheets import sheet_context


def _may_see_events(view):
    def wrapped(request, *args, **kwargs):
        policy.require(request.actor, "view_adverse_events")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@staff_view()
@_may_see_events
def alerts(request):
    return render(
        request,
        "followup/alerts.html",
        {
            "open": access.open_alerts(request.actor),
            "acknowledged": access.recent_acknowledged(request.actor),
            "may_acknowledge": request.actor.can("record_clinical"),
        },
    )


@background_poll
def alerts_badge(request):
    """The navigation badge (polled by htmx): the number of open alerts. Nothing to swap
    (204) for anyone who may not see alerts, e.g. after the session ended."""
    if not policy.can(request.actor or None, "view_adverse_events"):
        return HttpResponse(status=204)
    return render(
        request,
        "followup/_badge.html",
        {"count": access.open_alert_count(request.actor, fresh=True)},
    )


@staff_view("record_clinical")
@require_POST
def acknowledge(request, code):
    alert = access.get_alert(request.actor, code)
    actions.acknowledge_alert(request.actor, alert)
    messages.success(request, _("Alert acknowledged."))
    nxt = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()})
    return redirect(nxt if nxt and safe else "followup:alerts")


def _register(request):
    choices = access.filter_choices(request.actor)
    form = RegisterFilter(request.GET or None, **choices)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, filters


@staff_view()
@_may_see_events
def register(request):
    form, filters = _register(request)
    reg = access.register(request.actor, filters)
    return render(
        request,
        "followup/register.html",
        {"form": form, "register": reg, "query": request.GET.urlencode()},
        status=400 if form.errors else 200,
    )


@staff_view()
@_may_see_events
def register_export(request):
    form, filters = _register(request)
    if form.errors:
        return HttpResponse(_("Bad filter."), status=400, content_type="text/plain")
    reg = access.register(request.actor, filters, audit=False)

    record(request.actor, "export", summary=f"adverse-event register CSV: {len(reg.events)}")
    stamp = f"{clinicday.local(clinicday.now(), request.actor.clinic):%Y%m%d-%H%M}"
    return csv_response(register_csv(reg, request.actor.clinic), "adverse-events", stamp)


@staff_view()
@_may_see_events
@require_http_methods(["GET", "POST"])
def event(request, code):
    ev = access.get_event(request.actor, code)
    may_edit = request.actor.can("record_clinical")
    initial = {
        "ctcae_grade": ev.ctcae_grade or ev.suggested_grade,
        "actions_taken": ev.actions_taken,
        "outcome": ev.outcome,
        "resolved_at": ev.resolved_at and clinicday.local(ev.resolved_at, request.actor.clinic),
    }
    form = EventForm(*bound(request), initial=initial)
    if request.method == "POST":
        request.actor.require("record_clinical")
        if form.is_valid():
            try:
                actions.update_adverse_event(request.actor, ev, form.cleaned_data)
            except ValidationError as exc:
                show_on_form(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("followup:event", code=ev.code)
    return render(
        request,
        "followup/event.html",
        {
            "event": ev,
            "form": form,
            "may_edit": may_edit,
            "may_see_photo": request.actor.can("view_clinical"),
            "lots": list(ev.lots.all()),
            "lot_counts": access.lot_report_counts(request.actor),
            "alerts": list(ev.alerts.all()),
        },
        status=400 if form.errors else 200,
    )


def _photo_response(field):
    if not field:
        raise Http404("no photo")
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404("photo missing") from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


@staff_view("view_clinical")
def event_photo(request, code):
    return _photo_response(access.get_event(request.actor, code, audit="view photo").photo)


@staff_view("view_clinical")
def checkin_photo(request, code):
    return _photo_response(access.get_checkin(request.actor, code).photo)


@staff_view("record_clinical")
@require_http_methods(["GET", "POST"])
def report(request, code):
    session = treatments_access.get_session(request.actor, code)
    form = StaffReportForm(*bound(request, files=True))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            ev = actions.report_side_effect(
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
            if ev.level != Level.EXPECTED:
                messages.warning(
                    request,
                    _("Triage: %(level)s. The clinic is alerted.")
                    % {"level": ev.get_level_display()},
                )
            return redirect("followup:event", code=ev.code)
    return render(
        request,
        "followup/report.html",
        {"form": form, "session": session, "patient": session.patient},
        status=400 if form.errors else 200,
    )


@staff_view("record_clinical")
@require_http_methods(["GET", "POST"])
def gais(request, code):
    session = treatments_access.get_session(request.actor, code)
    form = GaisForm(*bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_gais(
                request.actor,
                session,
                score=form.cleaned_data["score"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("GAIS score recorded."))
            return redirect("patients:chart", code=session.patient.code)
    return render(
        request,
        "followup/gais.html",
        {"form": form, "session": session, "patient": session.patient},
        status=400 if form.errors else 200,
    )


@staff_view("view_clinical")
def aftercare(request, code):
    session = treatments_access.get_session(request.actor, code)
    sheet = access.sheet_of(request.actor, session)
    if sheet is None:
        raise Http404("no aftercare sheet for this session")
    return render(
        request,
        "followup/aftercare.html",
        {**sheet_context(sheet), "session": session, "patient": session.patient},
    )
