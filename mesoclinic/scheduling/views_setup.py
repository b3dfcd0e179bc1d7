"""Set-up pages (practitioners, rooms, hours, absences) and calendar feeds: the staff
create and revoke secret feed URLs; the feed itself is public behind its secret."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mesoclinic.accounts.decorators import staff_view
from mesoclinic.audit.actions import record
from mesoclinic.lib.refusals import show_on_form
from mesoclinic.patients import access as patients_access

from . import access, ical, resources
from .actions import Refused
from .forms import AbsenceForm, OpeningForm, PractitionerForm, RoomForm
from .models import OpeningHours
from .views import _patient_context


def _setup_context(request, **forms):
    actor = request.actor
    users = access.staff_without_practitioner(actor)
    opening = OpeningHours.objects.filter(clinic=actor.clinic)
    practitioners = access.practitioners_for(actor, active_only=False)
    return {
        "practitioners": practitioners,
        "rooms": access.rooms_for(actor, active_only=False),
        "opening": resources.format_hours(opening),
        "practitioner_form": forms.get("practitioner_form") or PractitionerForm(users=users),
        "room_form": forms.get("room_form") or RoomForm(),
        "opening_form": forms.get("opening_form")
        or OpeningForm(initial={"hours": resources.format_hours(opening)}),
        "absence_form": forms.get("absence_form")
        or AbsenceForm(clinic=actor.clinic, practitioners=access.practitioner_choices(actor)),
        "users": users,
        "hours_text": {p.pk: resources.format_hours(p.hours.all()) for p in practitioners},
    }


@staff_view("manage_schedule")
def setup(request):
    return render(request, "scheduling/setup.html", _setup_context(request))


@staff_view("manage_schedule")
@require_POST
def setup_save(request, what):
    actor = request.actor
    context = _setup_context(request)
    if what == "opening":
        form = OpeningForm(request.POST)
        key = "opening_form"
        call = lambda d: resources.set_opening_hours(actor, d["hours"])  # noqa: E731
    elif what == "practitioner":
        form = PractitionerForm(request.POST, users=context["users"])
        key = "practitioner_form"
        call = lambda d: resources.save_practitioner(  # noqa: E731
            actor, d["user"], protocols=d["protocols"], hours=d["hours"]
        )
    elif what == "room":
        form = RoomForm(request.POST)
        key = "room_form"
        call = lambda d: resources.save_room(actor, name=d["name"], protocols=d["protocols"])  # noqa: E731
    elif what == "absence":
        form = AbsenceForm(
            request.POST, clinic=actor.clinic, practitioners=access.practitioner_choices(actor)
        )
        key = "absence_form"
        call = lambda d: resources.add_absence(  # noqa: E731
            actor, d["practitioner"], start=d["start"], end=d["end"], reason=d["reason"]
        )
    else:
        raise Http404("nothing to set up")
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except Refused as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("scheduling:setup")
    return render(
        request, "scheduling/setup.html", _setup_context(request, **{key: form}), status=400
    )


def _feed_url(request, secret: str) -> str:
    return request.build_absolute_uri(reverse("scheduling:feed", args=[secret]))


@staff_view("book_appointments")
@require_POST
def feed_create(request, code):
    """A new feed URL for the patient; shown once, never again (only its hash is kept)."""
    actor = request.actor
    person = patients_access.get_patient(actor, code, audit=None)
    _token, secret = resources.create_feed(actor, patient=person)
    context = _patient_context(request, person, secret=_feed_url(request, secret))
    return render(request, "scheduling/patient.html", context)


@staff_view("book_appointments")
@require_http_methods(["GET", "POST"])
def practitioner_feed(request, code):
    actor = request.actor
    practitioner = access.get_practitioner(actor, code)
    secret = None
    if request.method == "POST":
        _token, raw = resources.create_feed(actor, practitioner=practitioner)
        secret = _feed_url(request, raw)
    return render(
        request,
        "scheduling/practitioner_feeds.html",
        {
            "practitioner": practitioner,
            "feeds": access.feeds_for(actor, practitioner=practitioner),
            "secret_url": secret,
        },
    )


@staff_view("book_appointments")
@require_POST
def feed_revoke(request, code):
    token = access.get_feed(request.actor, code)
    resources.revoke_feed(request.actor, token)
    messages.success(request, _("The calendar link no longer works."))
    if token.patient_id:
        return redirect("scheduling:patient", code=token.patient.code)
    return redirect("scheduling:practitioner_feed", code=token.practitioner.code)


@require_GET
def feed(request, secret):
    """The iCalendar feed: no sign-in, the secret in the URL is the key."""
    token = ical.token_for(secret)
    if token is None:
        raise Http404("no such calendar")
    record(  # the feed has no signed-in reader: the token is who asked
        None,
        "read",
        token,
        patient=token.patient,
        clinic=token.clinic,
        summary=f"calendar feed fetched ({token.kind})",
        detail={"kind": token.kind},
    )
    response = HttpResponse(ical.feed(token), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["Referrer-Policy"] = "no-referrer"
    return response
