"""The waiting list pages: add a patient, book the slot offered to them, remove them."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mesoclinic.accounts.decorators import staff_view
from mesoclinic.lib.refusals import flash, show_on_form
from mesoclinic.lib.titles import protocol_titles
from mesoclinic.patients import access as patients_access

from . import access, actions, waitlist
from .forms import WaitingForm
from .views import _patient_context


@staff_view("book_appointments")
def waiting(request):
    return render(
        request,
        "scheduling/waiting.html",
        {"entries": access.waiting_list(request.actor), "titles": protocol_titles()},
    )


@staff_view("book_appointments")
@require_POST
def waiting_add(request, code):
    actor = request.actor
    person = patients_access.get_patient(actor, code, audit=None)
    form = WaitingForm(request.POST, practitioners=access.practitioner_choices(actor))
    if form.is_valid():
        try:
            waitlist.add_to_waiting_list(actor, person, **form.cleaned_data)
        except actions.Refused as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("Added to the waiting list."))
            return redirect("scheduling:patient", code=person.code)
    context = _patient_context(request, person, waiting_form=form)
    return render(request, "scheduling/patient.html", context, status=400)


@staff_view("book_appointments")
@require_POST
def waiting_book(request, code):
    actor = request.actor
    entry = access.get_waiting_entry(actor, code)
    try:
        booked = waitlist.book_offer(actor, entry)
    except actions.Refused as exc:
        flash(request, exc)
        return redirect("scheduling:waiting")
    messages.success(request, _("Appointment booked."))
    return redirect("scheduling:appointment", code=booked.code)


@staff_view("book_appointments")
@require_POST
def waiting_remove(request, code):
    entry = access.get_waiting_entry(request.actor, code)
    if entry.status in ("booked", "removed"):
        raise Http404("no such entry")
    waitlist.remove_from_waiting_list(request.actor, entry)
    return redirect("scheduling:waiting")
