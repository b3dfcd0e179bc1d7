"""Every read the portal makes, for one patient: the patient the signed-in user's
PortalAccount names. Each query filters by that patient; an object is found by its public
code *and* the patient, so another patient's code is a 404, never their data.

Other apps' records (plans, consents, appointments, aftercare) are read through those
apps' own patient-facing `access` functions, scoped to the patient the actor carries
(`actor.patient`). Staff reads of portal records (invitations, change requests) are scoped
to the actor's clinic.
"""

from django.conf import settings
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from mesoclinic.accounts.actor import Actor
from mesoclinic.accounts.roles import Role
from mesoclinic.audit.actions import record
from mesoclinic.audit.models import AuditEvent
from mesoclinic.followup import policy
from mesoclinic.scheduling import access as scheduling_access

from .models import AppointmentChangeRequest, Invitation, PortalAccount, RequestStatus
from .tokens import token_hash


def account_for(user) -> PortalAccount | None:
    """The portal account of a signed-in patient user, or None."""
    if user is None or not user.is_authenticated:
        return None
    return (
        PortalAccount.objects.select_related("patient__clinic", "user")
        .filter(user=user, user__is_active=True)
        .first()
    )


def patient_of(actor: Actor | None):
    """The one patient a patient actor may act for (None for staff and strangers): the
    patient the actor carries."""
    return actor.patient if actor is not None else None


def invitation_for(secret: str) -> Invitation | None:
    """The invitation of this secret if it can still be accepted: not used, not replaced,
    not expired."""
    if not secret or len(secret) > 200:
        return None
    return (
        Invitation.objects.select_related("patient__clinic")
        .filter(
            token_hash=token_hash(secret),
            used_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


def _get(qs, code, what: str):
    try:
        return qs.get(code=code)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404(f"no such {what}") from None


# --- staff ---------------------------------------------------------------------------------


def portal_status(actor: Actor, patient) -> dict:
    """Has the patient a portal account; their last invitations (for the invite page)."""
    actor.require("view_demographics")
    if patient.clinic_id != actor.clinic.pk:
        raise Http404("no such patient")
    return {
        "account": PortalAccount.objects.filter(patient=patient).select_related("user").first(),
        "invitations": list(Invitation.objects.filter(patient=patient)[:5]),
    }


def _requests(actor: Actor):
    return AppointmentChangeRequest.objects.filter(patient__clinic=actor.clinic).select_related(
        "patient", "appointment", "handled_by"
    )


def open_change_requests(actor: Actor) -> list[AppointmentChangeRequest]:
    """The open requests; each one listed is a read of that patient's appointments."""
    policy.require(actor, "book_appointments")
    found = list(_requests(actor).filter(status=RequestStatus.OPEN).order_by("created_at"))
    for req in found:
        record(actor, "view", req, patient=req.patient, summary="change request listed")
    record(actor, "view", ChangeRequests(), summary=f"change requests: {len(found)} open")
    return found


class ChangeRequests:
    """The list of open change requests, as the object of a read (issue 15)."""

    code = ""


def get_change_request(actor: Actor, code) -> AppointmentChangeRequest:
    policy.require(actor, "book_appointments")
    return _get(_requests(actor), code, "change request")


# --- the patient's own records -------------------------------------------------------------
# Other apps' records come through their own `access` (scheduling.access.own_upcoming,
# treatments.access.own_sessions, ...), each scoped to the patient the actor carries.


def upcoming_appointments(actor: Actor) -> list:
    """The patient's coming appointments, each with its open change requests."""
    found = scheduling_access.own_upcoming(actor)
    prefetch_related_objects(
        found,
        Prefetch(
            "change_requests",
            queryset=AppointmentChangeRequest.objects.filter(status=RequestStatus.OPEN),
            to_attr="open_requests",
        ),
    )
    return found


def own_change_requests(actor: Actor) -> list[AppointmentChangeRequest]:
    patient = patient_of(actor)
    if patient is None:
        return []
    return list(
        AppointmentChangeRequest.objects.filter(patient=patient).select_related("appointment")[:10]
    )


# --- who opened my record (issue 15) -------------------------------------------------------

READ_ACTIONS = ("view", "read", "search", "export")
WHAT = {  # the kind of thing read -> what the patient is told was opened
    "Patient": _lazy("Your record"),
    "Photo": _lazy("A photo"),
    "TreatmentPlan": _lazy("Your treatment plan"),
    "TreatmentSession": _lazy("A treatment session"),
    "Session": _lazy("A treatment session"),
    "CheckIn": _lazy("A check-in"),
    "AppointmentChangeRequest": _lazy("A request to move an appointment"),
    "CalendarToken": _lazy("Your calendar feed (fetched by a calendar app)"),
    "PatchTest": _lazy("A patch test"),
}


def record_reads(patient):
    """Reads of this patient's record by the clinic's staff (and calendar apps fetching
    their feed), newest first: never the patient's own reads, never another patient's."""
    staff = [r.value for r in Role if r != Role.PATIENT]
    return (
        AuditEvent.objects.filter(
            clinic=patient.clinic, patient_code=patient.code, action__in=READ_ACTIONS
        )
        .filter(Q(role__in=staff) | Q(role="", object_type="CalendarToken"))
        .order_by("-at", "-id")
    )


def describe_read(event) -> dict:
    """One row of the page: when, who (a role; a name only where the clinic shows names),
    and what was opened."""
    role = Role(event.role).label if event.role in Role.values else _lazy("Calendar app")
    show_names = getattr(settings, "PORTAL_SHOW_STAFF_NAMES", False)
    return {
        "at": event.at,
        "role": role,
        "name": event.username if show_names and event.role else "",
        "what": WHAT.get(event.object_type, _lazy("Your record")),
    }
