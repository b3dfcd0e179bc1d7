"""Staff pages of the FHIR app: a clinic admin makes and revokes API tokens."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mesoclinic.accounts.decorators import staff_view
from mesoclinic.lib.refusals import flash

from . import access, actions
from .capability import TYPES

NEW_SECRET = "fhir_new_token"


@staff_view("manage_clinic")
def tokens(request):
    actor = request.actor
    # the new secret, shown once: kept in the session only until this page shows it (after
    # the redirect, so a reload never makes a second token)
    new_secret = request.session.pop(NEW_SECRET, None) if request.method == "GET" else None
    errors: dict = {}
    values = {"name": "", "scopes": ["system/*.read"]}
    if request.method == "POST":
        values = {"name": request.POST.get("name", ""), "scopes": request.POST.getlist("scopes")}
        try:
            _token, secret = actions.create_token(
                actor, name=values["name"], scopes=values["scopes"]
            )
            request.session[NEW_SECRET] = secret
            return redirect("fhir:tokens")
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"name": exc.messages}
    scope_choices = [("system/*.read", _("Every resource type"))] + [
        (f"system/{t}.read", t) for t in TYPES
    ]
    return render(
        request,
        "fhir/tokens.html",
        {
            "tokens": list(access.tokens_for(actor)),
            "new_secret": new_secret,
            "errors": errors,
            "values": values,
            "scope_choices": scope_choices,
            "base": request.build_absolute_uri("/fhir/"),
        },
        status=400 if errors else 200,
    )


@require_POST
@staff_view("manage_clinic")
def revoke(request, code):
    token = access.get_token(request.actor, code)
    try:
        actions.revoke_token(request.actor, token)
    except ValidationError as exc:
        flash(request, exc)
    return redirect("fhir:tokens")
