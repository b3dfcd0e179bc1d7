"""Every read the portal makes, for one patient: the patient the signed-in user's
PortalAccount names. Each query filters by that patient; an object is found by its public
code *and* the patient, so another patient's code is a 404, never their data.

The portal reads a few other apps' records (plans, consents, appointments) here because
their `access` functions serve staff (they require staff capabilities); these reads are
patient-scoped and read-only. Staff reads of portal records (invitations, change
requests) are scoped to the actor's clinic.
"""

import datetime as dt

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from mesoclinic.accounts.actor import Actor
from mesoclinic.accounts.roles import Role
from mesoclinic.audit.actions import record
from mesoclinic.followup import policy
from mesoclinic.lib import clinicday
from mesoclinic.lib.titles import protocol_title

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
    """The one patient a patient actor may act for (None for staff and strangers)."""
    if actor is None or actor.role != Role.PATIENT or actor.user is None:
        return None
    account = account_for(actor.user)
    if account is None or account.patient.clinic_id != actor.clinic.pk:
        return None
    return account.patient


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


def _appointments(patient):
    from mesoclinic.scheduling.models import Appointment

    return Appointment.objects.filter(patient=patient, clinic=patient.clinic).select_related(
        "practitioner", "room", "plan"
    )


def upcoming_appointments(patient) -> list:
    from mesoclinic.scheduling.models import Status

    return list(
        _appointments(patient)
        .filter(status=Status.BOOKED, end__gte=timezone.now())
        .prefetch_related(
            Prefetch(
                "change_requests",
                queryset=AppointmentChangeRequest.objects.filter(status=RequestStatus.OPEN),
                to_attr="open_requests",
            )
        )
        .order_by("start")
    )


def past_appointments(patient, limit: int = 10) -> list:
    return list(_appointments(patient).filter(start__lt=timezone.now()).order_by("-start")[:limit])


def own_appointment(patient, code):
    return _get(_appointments(patient), code, "appointment")


def own_change_requests(patient) -> list[AppointmentChangeRequest]:
    return list(
        AppointmentChangeRequest.objects.filter(patient=patient).select_related("appointment")[:10]
    )


def change_window(appointment, today: dt.date | None = None) -> tuple[dt.date, dt.date] | None:
    """The days this appointment may move to: inside its session's window (counted from the
    session before it, as the plan's interval says), from tomorrow on. None if no day is
    left (the patient then calls the clinic)."""
    from mesoclinic.scheduling.models import Appointment, Status

    zone = clinicday.zone(appointment.clinic)
    today = today or clinicday.today(zone)
    plan = appointment.plan
    current = clinicday.local_date(appointment.start, zone)
    if plan is None or not appointment.session_number:
        earliest, latest = today, current + dt.timedelta(days=28)
    else:
        before = (
            Appointment.objects.filter(
                plan=plan,
                session_number=appointment.session_number - 1,
                status__in=[Status.BOOKED, Status.DONE],
            )
            .order_by("-start")
            .first()
        )
        prev = clinicday.local_date(before.start, zone) if before is not None else None
        if prev is None:  # the session before may have been treated without a booking
            started = (
                plan.sessions.filter(number=appointment.session_number - 1)
                .values_list("started_at", flat=True)
                .first()
            )
            prev = clinicday.local_date(started, zone) if started else None
        if prev is not None:
            earliest = prev + dt.timedelta(days=plan.interval_min)
            latest = prev + dt.timedelta(days=plan.interval_max)
        else:  # the first session: as the plan's first window
            earliest = plan.start_date
            latest = plan.start_date + dt.timedelta(days=plan.interval_max - plan.interval_min)
            latest = max(latest, current)
    earliest = max(earliest, today + dt.timedelta(days=1))
    return (earliest, latest) if earliest <= latest else None


def _plans(patient):
    from mesoclinic.treatments.models import TreatmentPlan

    return TreatmentPlan.objects.filter(patient=patient)


def consents_to_sign(patient) -> list[dict]:
    """For each active plan: the protocol, the product classes of its cocktail and whether
    a valid consent covers them (the same rule as the ready-to-treat gate)."""
    from mesoclinic.consent.models import Consent
    from mesoclinic.consent.validity import status_of
    from mesoclinic.consent.versions import current_versions
    from mesoclinic.treatments.models import PlanStatus

    plans = list(_plans(patient).filter(status=PlanStatus.ACTIVE).prefetch_related("products"))
    if not plans:
        return []
    consents = list(
        Consent.objects.filter(patient=patient).select_related("template", "withdrawal")
    )
    versions = current_versions(p.protocol for p in plans)
    out = []
    for plan in plans:
        classes = sorted({p.product_class for p in plan.products.all()})
        status = status_of(consents, plan.protocol, classes, versions[plan.protocol])
        out.append(
            {
                "plan": plan,
                "title": protocol_title(plan.protocol),
                "classes": classes,
                "status": status,
            }
        )
    return out


def own_plan(patient, code):
    return _get(_plans(patient).prefetch_related("products"), code, "plan")


def _sessions(patient):
    from mesoclinic.treatments.models import SessionStatus, TreatmentSession

    return TreatmentSession.objects.filter(patient=patient, status=SessionStatus.SIGNED)


def own_sessions(patient) -> list:
    """The patient's signed-off sessions, newest first."""
    return list(_sessions(patient).select_related("plan").order_by("-signed_at"))


def own_session(patient, code):
    return _get(_sessions(patient).select_related("plan", "patient__clinic"), code, "session")


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
    from mesoclinic.audit.models import AuditEvent

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
    from django.conf import settings

    role = Role(event.role).label if event.role in Role.values else _lazy("Calendar app")
    show_names = getattr(settings, "PORTAL_SHOW_STAFF_NAMES", False)
    return {
        "at": event.at,
        "role": role,
        "name": event.username if show_names and event.role else "",
        "what": WHAT.get(event.object_type, _lazy("Your record")),
    }
