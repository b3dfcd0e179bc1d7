"""PDF downloads, for staff (view_clinical, their clinic) and for the patient (their own
signed records, from the portal). `access` checks who is asking and audits each PDF."""

from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from mesoclinic.lib.pdf import pdf_response
from mesoclinic.lib.refusals import Forbidden

from . import access


def _actor(request):
    actor = getattr(request, "actor", None)
    if actor is None:
        raise Forbidden(_("This page is for the clinic's staff and its patients."), "no actor")
    return actor


def _send(doc):
    return pdf_response(access.pdf_of(doc), doc.filename)


def _signed_in(view):
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@require_GET
@_signed_in
def consent(request, code):
    return _send(access.consent(_actor(request), code))


@require_GET
@_signed_in
def session(request, code):
    return _send(access.session(_actor(request), code))


@require_GET
@_signed_in
def aftercare(request, code):
    return _send(access.aftercare(_actor(request), code))


@require_GET
@_signed_in
def summary(request, code):
    audience = request.GET.get("for", "patient")
    return _send(access.summary(_actor(request), code, audience))
