import datetime as dt

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from mesoclinic.accounts.decorators import staff_view
from mesoclinic.lib.forms import DateInput, Form

from .actions import record
from .models import AuditEvent

ACTIONS = [
    "view",
    "search",
    "create",
    "update",
    "override",
    "sign",
    "read",
    "login",
    "logout",
    "login_failed",
    "locked_out",  # issue 15: the clinic admin filters failed sign-ins and lockouts
    "export",
    "send",  # the outbox: a message sent, a failed attempt, given up
    "send_failed",
    "give_up",
    "refused",  # issue 15: a 403 on a page or an object (audit.attempts)
    "not_found",  # issue 15: a 404, another clinic's or a made-up code
]


class AuditFilter(Form):
    user = forms.CharField(label=_("User"), required=False)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any"))] + [(a, a) for a in ACTIONS]
    )
    patient = forms.UUIDField(label=_("Patient code"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput)
    until = forms.DateField(label=_("To"), required=False, widget=DateInput)


class AuditLog:
    """The audit log itself, as the object of a read of it (issue 15)."""

    code = ""


@staff_view("view_audit")
def audit_list(request):
    form = AuditFilter(request.GET or None)
    filters = {k: v[:100] for k, v in request.GET.items() if k in AuditFilter.base_fields}
    record(request.actor, "view", AuditLog(), summary="audit log", detail={"filters": filters})
    events = AuditEvent.objects.filter(clinic=request.actor.clinic)
    if form.is_valid():
        d = form.cleaned_data
        if d["user"]:
            events = events.filter(username__icontains=d["user"])
        if d["action"]:
            events = events.filter(action=d["action"])
        if d["patient"]:
            events = events.filter(patient_code=d["patient"])
        if d["since"]:
            events = events.filter(at__date__gte=d["since"])
        if d["until"]:
            events = events.filter(at__date__lt=d["until"] + dt.timedelta(days=1))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "audit/list.html", {"form": form, "page": page, "query": query.urlencode()}
    )
