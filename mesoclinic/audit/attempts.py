"""Refused and not-found attempts, recorded as such (issue 15: every read seen).

One middleware, so no view has to remember: a response with status 403 (not for this
person) or 404 (no such thing, or another clinic's) leaves an audit row with who asked,
the URL and the object code it named, and the outcome. Recorded for signed-in people on
any URL, and for anonymous requests to a real route (a calendar feed with a wrong
secret); an anonymous request to a path that is no route at all is a bad link, not an
attempt on patient data. The row belongs to the asker's clinic; a patient code is kept
only when that patient is the asker's clinic's own (another clinic's patient is never
named in this clinic's log).

When the URL names another clinic's patient, that clinic sees the attempt too: a second
row in its own log (and chain), naming its patient, the asker's user name and the asker's
clinic. The asker learns nothing from it: the response is the same 404 as for a code that
names no one, and the asker's own row is the same in both cases.
"""

import logging
import uuid

from django.db import transaction

from .actions import add, clean_ip, record
from .models import AuditEvent

log = logging.getLogger(__name__)

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


# Which patient a URL's codes name, in any clinic: patients registers its lookup (apps.py),
# so audit, on the floor below, never names it. codes -> the patient or None.
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
    named = _patient_lookup[0](codes) if codes and _patient_lookup else None
    own = actor is not None and named is not None and named.clinic_id == actor.clinic.pk
    patient = named if own else None
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
    if named is not None and not own:
        _tell_the_owner(request, actor, user, named, status, detail)


def _tell_the_owner(request, actor, user, patient, status: int, detail: dict) -> None:
    """The row of an attempt on `patient` by someone outside its clinic, in its clinic's log."""
    signed_in = user is not None and user.is_authenticated
    add(
        AuditEvent(
            clinic_id=patient.clinic_id,
            user=None,  # another clinic's user: named, not linked
            username=user.get_username()[:150] if signed_in else "",
            role=actor.role if actor is not None else "",
            action=ACTIONS[status],
            object_type="Patient",
            object_code=str(patient.code),
            patient_code=patient.code,
            summary=f"{status} {request.method} {detail['path']} (from outside the clinic)"[:300],
            ip=clean_ip(actor.ip if actor is not None else None),
            user_agent=(actor.user_agent if actor is not None else "")[:300],
            detail={
                **detail,
                "from_outside": True,
                "asker_clinic": actor.clinic.name[:200] if actor is not None else "",
            },
        )
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
                log.exception("could not record an attempt")
        return response
