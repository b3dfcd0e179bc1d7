from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _

from mesoclinic.lib.refusals import Forbidden

from .roles import STAFF


def staff_view(capability: str | None = None):
    """Only signed-in staff of a clinic; with `capability`, only roles that have it."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            actor = request.actor
            if not actor or actor.role not in STAFF:
                raise Forbidden(_("This page is for the clinic's staff."), "not staff of a clinic")
            if capability:
                actor.require(capability)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
