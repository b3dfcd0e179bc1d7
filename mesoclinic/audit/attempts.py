"""Refused and not-found attempts, recorded as such (issue 15: every read seen).

One middleware, so no view has to remember: a response with status 403 (not for this
person) or 404 (no such thing, or another clinic's) leaves an audit row with who asked,
the URL and the object code it named, and the outcome. Recorded for signed-in people on
any URL, and for anonymous requests to a real route (a calendar feed with a wrong
secret); an anonymous request to a path that is no route at all is a bad link, not an
attempt on patient data. The row belongs to the asker's clinic; a patient code is kept
only when that patient is the asker's clinic's own (another clinic's patient is never
named in this clinic's log).
"""

import uuid

from django.db import transaction

from .actions import record

ACTIONS = {403: "refused", 404: "not_found"}


class Route:
    """What a refused or not-found URL named: only its code (object_type "Route")."""

    def __init__(self, code: str):
        self.code = code


def _codes(match) -> list[str]:
    """The UUIDs a route's arguments carry (the object the URL names)."""
    if match is None:
        return []
    values = [*match.args, *match.kwargs.values()]
    return [str(v) for v in values if isinstance(v, uuid.UUID)]


# Which patient a URL's codes name: patients registers its lookup (apps.py), so audit, on
# the floor below, never names it. (clinic, codes) -> the patient or None.
_patient_lookup: list = []


def register_patient_lookup(lookup) -> None:
    _patient_lookup[:] = [lookup]


def record_attempt(request, status: int) -> None:
    actor = getattr(request, "actor", None) or None
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    if not (user is not None and user.is_authenticated) and match is None:
        return
    codes = _codes(match)
    patient = None
    if actor is not None and codes and _patient_lookup:
        patient = _patient_lookup[0](actor.clinic, codes)
    path = request.path[:500]
    detail = {
        "path": path,
        "method": request.method,
        "status": status,
        "route": match.view_name if match else "",
    }

    if actor is None and user is not None and user.is_authenticated:
        detail["username"] = user.get_username()[:150]  # signed in, but with no clinic
    record(
        actor,
        ACTIONS[status],
        Route(codes[0]) if codes else None,
        patient=patient,
        summary=f"{status} {request.method} {path}",
        detail=detail,
    )


class AttemptAuditMiddleware:
    """After ActorMiddleware: record every 403 and 404 response (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in ACTIONS:
            try:
                with transaction.atomic():
                    record_attempt(request, response.status_code)
            except Exception:  # noqa: BLE001 - recording must never turn a 404 into a 500
                import logging

                logging.getLogger(__name__).exception("could not record an attempt")
        return response
