"""Staff pages of the portal: invite a patient, and the patients' requests to move an
appointment (the front desk moves it in the schedule, then marks the request handled)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from mesoclinic.accounts.decorators import staff_view
from mesoclinic.followup import policy
from mesoclinic.lib.links import absolute_url
from mesoclinic.lib.refusals import flash
from mesoclinic.patients.access import get_patient

from . import access, actions
from .models import RequestStatus


@never_cache
@staff_view("edit_demographics")
@require_http_methods(["GET", "POST"])
def invite(request, code):
    patient = get_patient(request.actor, code)
    link = None
    if request.method == "POST":
        try:
            _invitation, secret = actions.invite_patient(
                request.actor,
                patient,
                link_for=lambda s: absolute_url("portal:accept", s),  # e-mailed: SITE_URL
            )
        except ValidationError as exc:
            flash(request, exc)
        else:
            link = absolute_url("portal:accept", secret)
    return render(
        request,
        "portal/staff_invite.html",
        {"patient": patient, "link": link, **access.portal_status(request.actor, patient)},
    )


@staff_view()
def requests(request):
    policy.require(request.actor, "book_appointments")
    return render(
        request,
        "portal/staff_requests.html",
        {"requests": access.open_change_requests(request.actor)},
    )


@staff_view()
@require_POST
def handle_request(request, code):
    req = access.get_change_request(request.actor, code)
    status = RequestStatus.DONE if request.POST.get("done") else RequestStatus.DECLINED
    try:
        actions.handle_change_request(
            request.actor, req, status=status, answer=request.POST.get("answer", "")
        )
    except ValidationError as exc:
        flash(request, exc)
    else:
        messages.success(request, _("Request marked: %(s)s.") % {"s": req.get_status_display()})
    return redirect("portal:staff_requests")
