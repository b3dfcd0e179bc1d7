"""The front desk's home: today's arrivals on the clinic's clock, who is in which room,
check-in / in the room / done / did not come (audited actions), the session performed for
each appointment, and the day's tasks (medical histories missing, consents to sign, and
for those who may see them, unacknowledged alerts)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mesoclinic.accounts.decorators import staff_view
from mesoclinic.followup import access as followup_access
from mesoclinic.lib import clinicday
from mesoclinic.lib.refusals import flash
from mesoclinic.lib.titles import protocol_titles

from . import access, actions
from .calendar_grid import _gate_text
from .models import Status


def _row(a, glance, session, now, actor) -> dict:
    g = glance.get(a.pk)
    booked = a.status == Status.BOOKED
    if not booked:
        state = a.get_status_display()
    elif a.in_room_at:
        state = _("In the room")
    elif a.arrived_at:
        state = _("Checked in")
    else:
        state = _("Expected")
    return {
        "a": a,
        "when": f"{clinicday.local(a.start, actor.clinic):%H:%M}",
        "state": state,
        "gate": ""
        if g is None
        else ("ok" if g.ready else ("danger" if g.ready is False else "none")),
        "gate_text": _gate_text(g),
        "can_arrive": booked and a.arrived_at is None,
        "can_room": booked and a.in_room_at is None,
        "can_mark": booked and a.start <= now,
        "session": session,
        "session_url": (
            reverse("treatments:session", args=[session.code])
            if session is not None and actor.can("view_clinical")
            else ""
        ),
    }


@staff_view("book_appointments")
def desk(request):
    actor = request.actor
    data = access.desk(actor)
    now = timezone.now()
    glance = data["glance"]
    rows = [_row(a, glance, data["sessions"].get(a.pk), now, actor) for a in data["appointments"]]
    in_rooms = [r for r in rows if r["a"].status == Status.BOOKED and r["a"].in_room_at]
    consents = [r for r in rows if glance.get(r["a"].pk) and "consent" in glance[r["a"].pk].missing]
    alerts = None
    if actor.can("view_adverse_events"):
        alerts = followup_access.open_alerts(actor)
    context = {
        "today": data["today"],
        "rows": rows,
        "in_rooms": in_rooms,
        "no_intake": data["no_intake"],
        "consents": consents,
        "alerts": alerts,
        "titles": protocol_titles(),
        "phone_intake": actor.can("take_phone_intake"),
    }
    return render(request, "scheduling/desk.html", context)


@staff_view("book_appointments")
@require_POST
def arrival(request, code):
    """Check in, into the room, done, did not come: one audited action each."""
    actor = request.actor
    a = access.get_appointment(actor, code, audit=None)
    step = request.POST.get("step", "")
    try:
        if step in actions.ARRIVAL_STEPS:
            actions.mark_arrival(actor, a, step)
        else:
            actions.mark_attendance(actor, a, step)
    except actions.Refused as exc:
        flash(request, exc)
    else:
        words = {
            "arrived": _("%(name)s is checked in."),
            "in_room": _("%(name)s is in %(room)s."),
            Status.DONE: _("%(name)s: done."),
            Status.NO_SHOW: _("%(name)s did not come."),
        }
        messages.success(request, words[step] % {"name": a.patient.full_name, "room": a.room.name})
    return redirect("scheduling:desk")
