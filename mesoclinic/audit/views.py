import datetime as dt

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from mesoclinic.accounts.decorators import staff_view
from mesoclinic.lib.forms import DateInput

from . import pages

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
    "export",
    "send",  # the outbox: a message sent, a failed attempt, given up
    "send_failed",
    "give_up",
]


DATES = [MinValueValidator(dt.date(1900, 1, 1)), MaxValueValidator(dt.date(9000, 12, 31))]


class AuditFilter(forms.Form):
    user = forms.CharField(label=_("User name"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any"))] + [(a, a) for a in ACTIONS]
    )
    patient = forms.UUIDField(label=_("Patient code"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput, validators=DATES)
    until = forms.DateField(label=_("To"), required=False, widget=DateInput, validators=DATES)


@staff_view("view_audit")
def audit_list(request):
    """The clinic's audit log, newest first, a keyset page at a time (pages.py)."""
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
