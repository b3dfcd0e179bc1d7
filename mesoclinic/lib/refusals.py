"""Refusals: one exception for a change the rules do not allow, and one way to show why.

- An action raises `Refused` (a ValidationError: a sentence, a list, or a dict of field
  messages). A view shows it on its form (`show_on_form`) or, after a redirect, as
  messages (`flash`); a refusal no view catches becomes the refused page (status 400).
- A page or change that is not for this person raises `Forbidden` (a PermissionDenied
  carrying a sentence for the user); any PermissionDenied becomes the refused page
  (status 403), with that sentence or a general one.

The refused page is the normal layout (the portal's for a patient) with the reasons and
a way back, never a bare error page.
"""

from collections.abc import Iterable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

STAFF_LAYOUT = "base.html"
PATIENT_LAYOUT = "portal/base.html"
PATIENT_HOME = "portal:home"  # a patient refused anywhere is offered the way to their portal


class Refused(ValidationError):
    """A change the rules do not allow; the message (or the field messages) says why in
    plain words."""


class Forbidden(PermissionDenied):
    """Not for this person (another role, another patient). `reason` is shown to them;
    `detail` (for logs and tests) names the rule."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(detail or str(reason))
        self.reason = reason


def show_on_form(form, exc: ValidationError) -> None:
    """Each message beside its field, or above the form when the form has no such field.
    A form whose fields are named differently from the action's maps them in
    `refusal_fields` (action field -> form field)."""
    if hasattr(exc, "error_dict"):
        renamed = getattr(form, "refusal_fields", {})
        for field, errors in exc.message_dict.items():
            field = renamed.get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def flash(request, exc: ValidationError) -> None:
    """Each reason as an error message on the next page (after a redirect)."""
    for message in exc.messages:
        messages.error(request, message)


def layout_for(request) -> str:
    """The portal's layout for a patient, the staff layout for everyone else."""
    actor = getattr(request, "actor", None)
    return PATIENT_LAYOUT if getattr(actor, "role", None) == "patient" else STAFF_LAYOUT


def _back(request) -> str:
    referer = request.META.get("HTTP_REFERER", "")
    safe = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return referer if referer and safe else "/"


def refused_page(request, reasons: Iterable[str], *, status: int = 403, title: str = ""):
    """The normal layout with the reasons; `status` 403 (not for you), 400 (not possible)."""
    layout = layout_for(request)
    return render(
        request,
        "refused.html",
        {
            "layout": layout,
            "home": reverse(PATIENT_HOME) if layout == PATIENT_LAYOUT else "",
            "title": title or (_("Not allowed") if status == 403 else _("Not possible")),
            "reasons": [str(r) for r in reasons if str(r)],
            "back": _back(request),
        },
        status=status,
    )


def permission_denied(request, exception=None):
    """handler403: every PermissionDenied, with its sentence when it carries one."""
    reason = getattr(exception, "reason", None)
    return refused_page(
        request, [reason or _("Your account is not allowed to open this page or do this.")]
    )


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: a form sent from an expired or another page."""
    return refused_page(
        request,
        [
            _(
                "This form has expired or was sent from another page. Go back, reload the page and try again."
            )
        ],
        title=_("Form expired"),
    )


class RefusalMiddleware:
    """A Refused that no view catches is shown on the refused page, never as an error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Refused):
            return refused_page(request, exception.messages, status=400)
        return None
