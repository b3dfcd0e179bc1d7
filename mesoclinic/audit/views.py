import datetime as dt

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from mesoclinic.accounts.decorators import staff_view
from mesoclinic.lib.forms import DateInput, Form

from . import pages
from .actions import record

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
    "failed",  # issue 15: a change recorded, then rolled back (audit.actions.settle)
]


DATES = [MinValueValidator(dt.date(1900, 1, 1)), MaxValueValidator(dt.date(9000, 12, 31))]


class AuditFilter(Form):
    user = forms.CharField(label=_("User name"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any"))] + [(a, a) for a in ACTIONS]
    )
    patient = forms.UUIDField(label=_("Patient code"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput, validators=DATES)
    until = forms.DateField(label=_("To"), required=False, widget=DateInput, validators=DATES)


class AuditLog:
    """The audit log itself, as the object of a read of it (issue 15)."""

    code = ""


@staff_view("view_audit")
def audit_list(request):
    """The clinic's audit log, newest first, a keyset page at a time (pages.py)."""
    filters = {k: v[:100] for k, v in request.GET.items() if k in AuditFilter.base_fields}
    record(request.actor, "view", AuditLog(), summary="audit log", detail={"filters": filters})
    query = request.GET.copy()
    before = query.pop("before", [""])[-1]
    form = AuditFilter(query or None)
    data = form.cleaned_data if form.is_valid() else {}
    events = pages.filtered(request.actor.clinic, data)
    cursor = pages.parse_cursor(before) if before else None
    page = pages.page(events, cursor)
    return render(
        request,
        "audit/list.html",
        {
            "form": form,
            "page": page,
            "bad_cursor": bool(before) and cursor is None,
            "query": query.urlencode(),
        },
    )
