"""The calendar: a time grid per day (a column per practitioner or room) or per week (a
column per day of one practitioner or room). A free step books; an appointment dragged to
another step (or moved with its "Move" button and a step, by keyboard or touch) is
rescheduled by the same action as the appointment page's form, so the same rules and
database constraints apply; a refusal is shown above the grid with the nearest free slots,
in time order, each one click away."""

import datetime as dt
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mesoclinic.accounts.decorators import staff_view
from mesoclinic.lib import clinicday
from mesoclinic.lib.refusals import Refused, show_on_form
from mesoclinic.patients import access as patients_access

from . import access, actions, appointment_types, availability, calendar_grid
from .forms import RescheduleForm, SlotBookForm
from .slots import merge_hours


def _date(value: str, actor) -> dt.date:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return clinicday.today(actor.clinic)


def _params(q, actor) -> dict:
    """The calendar shown: day or week, by practitioner or room, which day, whose week."""
    view = "week" if q.get("view") == "week" else "day"
    by = "room" if q.get("by") == "room" else "practitioner"
    return {
        "view": view,
        "by": by,
        "date": _date(q.get("on", ""), actor),
        "owner": q.get("owner", ""),
    }


def calendar_url(view: str, by: str, on: dt.date, owner: str = "") -> str:
    params = {"view": view, "by": by, "on": on.isoformat()}
    if owner:
        params["owner"] = owner
    return f"{reverse('scheduling:calendar')}?{urlencode(params)}"


def _grid(request, actor, p: dict) -> dict:
    practitioners = access.practitioners_for(actor)
    for pr in practitioners:
        pr.hours_map = merge_hours((h.weekday, h.start, h.end) for h in pr.hours.all())
    rooms = access.rooms_for(actor)
    owners = rooms if p["by"] == "room" else practitioners
    opening = availability.opening_hours(actor.clinic)
    on = p["date"]
    if p["view"] == "week":
        monday = clinicday.week_start(on)
        days = clinicday.week_days(monday)
        owner = next((o for o in owners if str(o.code) == p["owner"]), None) or next(
            iter(owners), None
        )
        columns = [
            calendar_grid.Column(
                i + 2,
                "",
                d,
                practitioner=owner if p["by"] == "practitioner" else None,
                room=owner if p["by"] == "room" else None,
                href=calendar_url("day", p["by"], d),
            )
            for i, d in enumerate(days)
        ]
        data = access.calendar(actor, days, p["by"], owner) if owner else None
        previous, following = monday - dt.timedelta(days=7), monday + dt.timedelta(days=7)
    else:
        owner = None
        days = [on]
        columns = [
            calendar_grid.Column(
                i + 2,
                o.name,
                on,
                practitioner=None if p["by"] == "room" else o,
                room=o if p["by"] == "room" else None,
                href=calendar_url("week", p["by"], on, str(o.code)),
            )
            for i, o in enumerate(owners)
        ]
        data = access.calendar(actor, days, p["by"]) if owners else None
        previous, following = on - dt.timedelta(days=1), on + dt.timedelta(days=1)
    key = "room_id" if p["by"] == "room" else "practitioner_id"

    def appointments_of(col):
        if data is None:
            return []
        if p["view"] == "week":
            return data["on"].get(col.day, [])
        target = (col.room or col.practitioner).pk
        return [a for a in data["on"].get(col.day, []) if getattr(a, key) == target]

    grid = calendar_grid.build(
        actor, columns, appointments_of, data["glance"] if data else {}, opening
    )
    owner_code = str(owner.code) if owner else ""
    here = calendar_url(p["view"], p["by"], on, owner_code)
    return {
        **grid,
        **p,
        "days": days,
        "owner": owner,
        "owners": owners,
        "here": here,
        "previous": calendar_url(p["view"], p["by"], previous, owner_code),
        "next": calendar_url(p["view"], p["by"], following, owner_code),
        "today_url": calendar_url(p["view"], p["by"], clinicday.today(actor.clinic), owner_code),
        "switch_by": calendar_url(p["view"], "practitioner" if p["by"] == "room" else "room", on),
        "switch_view": calendar_url(
            "day" if p["view"] == "week" else "week", p["by"], on, owner_code
        ),
    }


@staff_view("book_appointments")
def calendar(request):
    actor = request.actor
    return render(
        request, "scheduling/calendar.html", _grid(request, actor, _params(request.GET, actor))
    )


def _safe_next(request, url: str, fallback: str) -> str:
    ok = url.startswith(reverse("scheduling:calendar")) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}
    )
    return url if ok else fallback


@staff_view("book_appointments")
@require_POST
def calendar_move(request):
    """A drag (or "Move" and a step) on the calendar: reschedule, or show why not."""
    actor = request.actor
    fallback = reverse("scheduling:calendar")
    back = _safe_next(request, request.POST.get("next", ""), fallback)
    p = _params(QueryDict(urlsplit(back).query), actor)
    a = access.get_appointment(actor, request.POST.get("appointment", ""), audit=None)
    form = RescheduleForm(
        request.POST,
        clinic=actor.clinic,
        practitioners=access.practitioner_choices(actor),
        rooms=access.room_choices(actor),
    )
    refusal, alternatives = [], []
    if form.is_valid():
        d = form.cleaned_data
        try:
            moved = actions.reschedule(
                actor, a, start=form.start, practitioner=d["practitioner"], room=d["room"]
            )
        except Refused as exc:
            refusal = exc.messages
            alternatives = sorted(getattr(exc, "alternatives", []), key=lambda c: c.start)
        else:
            messages.success(
                request,
                _("%(name)s moved to %(when)s.")
                % {
                    "name": a.patient.full_name,
                    "when": clinicday.shown(moved.appointment.start, actor.clinic),
                },
            )
            for later in moved.flagged:
                messages.warning(
                    request,
                    _("Session %(n)s is now outside its window: move it too.")
                    % {"n": later.session_number},
                )
            return redirect(back)
    else:
        refusal = [e for errors in form.errors.values() for e in errors]
    context = _grid(request, actor, p)
    context.update(
        {
            "refusal": refusal,
            "refused": a,
            "alternatives": alternatives,
            "here": back,
        }
    )
    return render(request, "scheduling/calendar.html", context, status=400)


@staff_view("book_appointments")
@require_http_methods(["GET", "POST"])
def calendar_book(request):
    """Book the slot clicked on the calendar: find the patient, choose the type."""
    actor = request.actor
    source = request.POST if request.method == "POST" else request.GET
    query = source.get("q", "").strip()[:100]
    practitioners, rooms = access.practitioner_choices(actor), access.room_choices(actor)
    initial = {k: source.get(k) for k in ("date", "time", "practitioner", "room", "patient")}
    form = SlotBookForm(
        request.POST if request.method == "POST" else None,
        clinic=actor.clinic,
        practitioners=practitioners,
        rooms=rooms,
        initial={**initial, "appointment_type": "treatment"},
    )
    chosen = None
    code = source.get("patient", "")
    if code:
        chosen = patients_access.get_patient(actor, code, audit=None)
    found = patients_access.search(actor, query, limit=10) if query and chosen is None else []
    alternatives = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        person = patients_access.get_patient(actor, d["patient"], audit=None)
        minutes = appointment_types.minutes(
            d["appointment_type"], d["protocol"], d["cream_in_clinic"]
        )
        end = form.start + dt.timedelta(minutes=minutes)
        practitioner, room = d["practitioner"], d["room"]
        try:
            if practitioner is None or room is None:
                pair = availability.free_pair(
                    actor.clinic,
                    d["protocol"],
                    person,
                    form.start,
                    end,
                    practitioner=practitioner,
                    room=room,
                )
                if pair is None:
                    raise actions.SlotTaken(
                        _("No practitioner and room set up for this protocol are free then."),
                        actions.alternatives_near(
                            actor,
                            person,
                            d["protocol"],
                            form.start,
                            minutes,
                            practitioner=practitioner,
                        ),
                    )
                practitioner, room = pair
            booked = actions.book_appointment(
                actor,
                person,
                protocol=d["protocol"],
                start=form.start,
                practitioner=practitioner,
                room=room,
                cream_in_clinic=d["cream_in_clinic"],
                appointment_type=d["appointment_type"],
            )
        except Refused as exc:
            show_on_form(form, exc)
            alternatives = sorted(getattr(exc, "alternatives", []), key=lambda c: c.start)
        else:
            messages.success(
                request,
                _("%(type)s booked for %(name)s at %(when)s.")
                % {
                    "type": booked.get_appointment_type_display(),
                    "name": person.full_name,
                    "when": clinicday.shown(booked.start, actor.clinic),
                },
            )
            on = clinicday.local_date(booked.start, actor.clinic)
            return redirect(calendar_url("day", "practitioner", on))
    context = {
        "form": form,
        "query": query,
        "found": found,
        "chosen": chosen,
        "alternatives": alternatives,
        "keep": {k: v for k, v in initial.items() if v and k != "patient"},
        "back": calendar_url("day", "practitioner", _date(source.get("date", ""), actor)),
    }
    status = 400 if form.errors else 200
    return render(request, "scheduling/calendar_book.html", context, status=status)
