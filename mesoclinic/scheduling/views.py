"""The front desk's pages: day and week views, booking a plan, moving and cancelling, the
waiting list. Views validate and authorise, then call actions; reads go through access."""

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from mesoclinic.accounts.decorators import staff_view
from mesoclinic.lib import clinicday
from mesoclinic.lib.refusals import flash, show_on_form
from mesoclinic.lib.titles import protocol_title, protocol_titles
from mesoclinic.patients import access as patients_access

from . import access, actions, availability
from .forms import (
    AppointmentForm,
    BookPlanForm,
    CancelForm,
    RescheduleForm,
    WaitingForm,
)
from .models import Status
from .proposals import propose


def _today(actor) -> dt.date:
    return clinicday.today(actor.clinic)


def _day(request, actor) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return _today(actor)


def _partial(request, full: str, part: str) -> str:
    return part if request.headers.get("HX-Request") else full


def _go(request, url: str):
    """After a change: a redirect, or for htmx a whole-page visit (HX-Redirect), never the
    next page swapped inside the card that sent the form."""
    if request.headers.get("HX-Request"):
        return HttpResponseClientRedirect(url)
    return redirect(url)


@staff_view("book_appointments")
def day(request):
    actor = request.actor
    on = _day(request, actor)
    by = "room" if request.GET.get("by") == "room" else "practitioner"
    schedule = access.day_schedule(actor, on, by)
    zone = clinicday.zone(actor.clinic)
    titles = protocol_titles()
    glance = schedule["glance"]
    columns = [
        (column.obj, [_row(a, glance.get(a.pk), by, zone, titles) for a in column.appointments])
        for column in schedule["columns"]
    ]
    context = {
        "columns": columns,
        "day": on,
        "by": by,
        "previous": on - dt.timedelta(days=1),
        "next": on + dt.timedelta(days=1),
        "today": _today(actor),
    }
    return render(
        request, _partial(request, "scheduling/day.html", "scheduling/_day.html"), context
    )


_GLANCE_CLASS = {"eligible": "ok", "none": "warn", "review": "review"}


def _row(a, glance, by: str, zone, titles) -> dict:
    """One line of the day view, formatted here: the template only prints."""
    session = ""
    if a.session_number and a.plan is not None:
        session = f"{a.session_number}/{a.plan.sessions_planned}"
    screening = glance.screening if glance else "none"
    return {
        "code": a.code,
        "start": a.start,
        "when": f"{clinicday.local(a.start, zone):%H:%M}–{clinicday.local(a.end, zone):%H:%M}",
        "patient": a.patient.full_name,
        "protocol": titles.get(a.protocol, a.protocol),
        "session": session,
        "where": a.practitioner_name if by == "room" else a.room_name,
        "status": "" if a.status == Status.BOOKED else a.get_status_display(),
        "outside": a.outside_window,
        "screening": screening,
        "screening_class": _GLANCE_CLASS.get(screening, "danger"),
        "ready": None if glance is None else glance.ready,
        "missing": ", ".join(glance.missing) if glance else "",
    }


@staff_view("book_appointments")
def week(request):
    actor = request.actor
    on = _day(request, actor)
    monday = clinicday.week_start(on)
    owner = None
    if request.GET.get("room"):
        owner = access.get_room(actor, request.GET["room"])
    elif request.GET.get("practitioner"):
        owner = access.get_practitioner(actor, request.GET["practitioner"])
    else:
        owner = next(iter(access.practitioners_for(actor)), None)
    context = {
        "owner": owner,
        "is_room": owner is not None and owner.__class__.__name__ == "Room",
        "days": access.week_schedule(actor, monday, owner) if owner else [],
        "monday": monday,
        "previous": monday - dt.timedelta(days=7),
        "next": monday + dt.timedelta(days=7),
        "practitioners": access.practitioners_for(actor),
        "rooms": access.rooms_for(actor),
        "titles": protocol_titles(),
    }
    return render(
        request, _partial(request, "scheduling/week.html", "scheduling/_week.html"), context
    )


def _book_context(request, plan, form, found=None):
    return {
        "plan": plan,
        "patient": plan.patient,
        "form": form,
        "proposals": found,
        "appointments": access.plan_appointments(plan),
        "protocol": protocol_title(plan.protocol),
    }


@staff_view("book_appointments")
@require_http_methods(["GET", "POST"])
def book_plan(request, code):
    """Book every remaining session of a plan in one step; "preview" shows the slots found
    (and alternatives to pick from) without booking."""
    actor = request.actor
    plan = access.plan_for_booking(actor, code)
    cream = availability.cream_possible(plan.protocol)
    form = BookPlanForm(
        request.POST or None,
        clinic=actor.clinic,
        practitioners=access.practitioner_choices(actor),
        cream=cream,
        initial={"first_date": max(plan.start_date, _today(actor))},
    )
    if request.method != "POST":
        return render(request, "scheduling/book.html", _book_context(request, plan, form))
    found = None
    if form.is_valid():
        d = form.cleaned_data
        chosen = {
            int(k.removeprefix("session-")): v
            for k, v in request.POST.items()
            if k.startswith("session-") and k.removeprefix("session-").isdigit() and v
        }
        options = dict(
            first_date=d["first_date"],
            preferred_time=d["preferred_time"],
            practitioner=d["practitioner"],
        )
        cream_in = bool(d.get("cream_in_clinic"))
        if request.POST.get("action") == "book":
            try:
                booked = actions.book_plan(
                    actor, plan, cream_in_clinic=cream_in, chosen=chosen, **options
                )
            except actions.Refused as exc:
                show_on_form(form, exc)
            else:
                messages.success(request, _("%(n)s sessions booked.") % {"n": len(booked)})
                return _go(request, reverse("scheduling:patient", args=[plan.patient.code]))

        found = propose(
            plan,
            minutes=availability.session_minutes(plan.protocol, cream_in and cream),
            chosen=chosen,
            **options,
        )
    context = _book_context(request, plan, form, found)
    status = 400 if form.errors else 200
    template = _partial(request, "scheduling/book.html", "scheduling/_book_form.html")
    return render(request, template, context, status=status)


@staff_view("book_appointments")
def patient(request, code):
    """A patient's appointments, waiting-list entries and calendar feeds; book one."""
    actor = request.actor
    person = patients_access.get_patient(actor, code)
    return render(request, "scheduling/patient.html", _patient_context(request, person))


def _patient_context(request, person, form=None, waiting_form=None, secret=None):
    actor = request.actor
    return {
        "patient": person,
        "appointments": access.patient_appointments(actor, person),
        "feeds": access.feeds_for(actor, patient=person),
        "form": form
        or AppointmentForm(
            clinic=actor.clinic,
            practitioners=access.practitioner_choices(actor),
            rooms=access.room_choices(actor),
            initial={"date": _today(actor), "time": dt.time(10)},
        ),
        "waiting_form": waiting_form
        or WaitingForm(
            practitioners=access.practitioner_choices(actor),
            initial={"earliest": _today(actor), "latest": _today(actor) + dt.timedelta(days=14)},
        ),
        "secret_url": secret,
        "titles": protocol_titles(),
    }


@staff_view("book_appointments")
@require_POST
def book_one(request, code):
    actor = request.actor
    person = patients_access.get_patient(actor, code, audit=None)
    form = AppointmentForm(
        request.POST,
        clinic=actor.clinic,
        practitioners=access.practitioner_choices(actor),
        rooms=access.room_choices(actor),
    )
    alternatives = []
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.book_appointment(
                actor,
                person,
                protocol=d["protocol"],
                start=form.start,
                practitioner=d["practitioner"],
                room=d["room"],
                cream_in_clinic=d["cream_in_clinic"],
                appointment_type=d["appointment_type"],
            )
        except actions.Refused as exc:
            show_on_form(form, exc)
            alternatives = sorted(getattr(exc, "alternatives", []), key=lambda c: c.start)
        else:
            messages.success(request, _("Appointment booked."))
            return redirect("scheduling:patient", code=person.code)
    context = {**_patient_context(request, person, form=form), "alternatives": alternatives}
    return render(request, "scheduling/patient.html", context, status=400)


@staff_view("book_appointments")
def appointment(request, code):
    a = access.get_appointment(request.actor, code)
    return render(request, "scheduling/appointment.html", _appointment_context(request, a))


def _appointment_context(request, a, form=None, alternatives=()):
    actor = request.actor
    local = clinicday.local(a.start, actor.clinic)
    return {
        "a": a,
        "protocol": protocol_title(a.protocol),
        "form": form
        or RescheduleForm(
            clinic=actor.clinic,
            practitioners=access.practitioner_choices(actor),
            rooms=access.room_choices(actor),
            initial={"date": local.date(), "time": local.time()},
        ),
        "cancel_form": CancelForm(),
        "alternatives": alternatives,
        "messages_sent": access.messages_of(actor, a),
        "plan_appointments": access.plan_appointments(a.plan) if a.plan else [],
        "can_mark": a.status == Status.BOOKED and a.start <= timezone.now(),
    }


@staff_view("book_appointments")
@require_POST
def move(request, code):
    actor = request.actor
    a = access.get_appointment(actor, code, audit=None)
    form = RescheduleForm(
        request.POST,
        clinic=actor.clinic,
        practitioners=access.practitioner_choices(actor),
        rooms=access.room_choices(actor),
    )
    alternatives = []
    if form.is_valid():
        d = form.cleaned_data
        try:
            moved = actions.reschedule(
                actor, a, start=form.start, practitioner=d["practitioner"], room=d["room"]
            )
        except actions.Refused as exc:
            show_on_form(form, exc)
            alternatives = sorted(getattr(exc, "alternatives", []), key=lambda c: c.start)
        else:
            messages.success(request, _("Appointment moved."))
            for later in moved.flagged:
                messages.warning(
                    request,
                    _("Session %(n)s is now outside its window: move it too.")
                    % {"n": later.session_number},
                )
            return redirect("scheduling:appointment", code=a.code)
    a.refresh_from_db()
    context = _appointment_context(request, a, form=form, alternatives=alternatives)
    return render(request, "scheduling/appointment.html", context, status=400)


@staff_view("book_appointments")
@require_POST
def cancel(request, code):
    actor = request.actor
    a = access.get_appointment(actor, code, audit=None)
    form = CancelForm(request.POST)
    form.is_valid()
    try:
        offered = actions.cancel(actor, a, reason=form.cleaned_data.get("reason", ""))
    except actions.Refused as exc:
        flash(request, exc)
    else:
        messages.success(request, _("Appointment cancelled."))
        if offered is not None:
            messages.info(
                request,
                _("The slot was offered to %(name)s from the waiting list.")
                % {"name": offered.patient.full_name},
            )
    return redirect("scheduling:appointment", code=a.code)


@staff_view("book_appointments")
@require_POST
def attendance(request, code):
    actor = request.actor
    a = access.get_appointment(actor, code, audit=None)
    try:
        actions.mark_attendance(actor, a, request.POST.get("status", ""))
    except actions.Refused as exc:
        flash(request, exc)
    return redirect("scheduling:appointment", code=a.code)
