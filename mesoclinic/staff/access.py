"""Reads of staff management, for clinic admins only (manage_staff)."""

import datetime as dt

from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone

from mesoclinic.accounts.actor import Actor
from mesoclinic.accounts.models import Clinic, Membership
from mesoclinic.accounts.roles import STAFF
from mesoclinic.audit.models import AuditEvent

from .models import StaffInvitation

SIGN_IN_PROBLEMS = ("login_failed", "locked_out")


def needs_setup() -> bool:
    """A fresh installation: no clinic yet."""
    return not Clinic.objects.exists()


def staff(actor: Actor) -> list[Membership]:
    """The clinic's staff, each with `locked` (failed sign-ins reached the limit within the
    lockout window) and `failures` (recent failed sign-ins)."""
    actor.require("manage_staff")
    members = list(
        Membership.objects.filter(clinic=actor.clinic, role__in=STAFF)
        .select_related("user")
        .order_by("-is_active", "user__username")
    )
    since = timezone.now() - dt.timedelta(hours=settings.AXES_COOLOFF_TIME)
    counts: dict[str, int] = {}
    worst: dict[str, int] = {}  # the most failures from one address
    for username, failures in AccessAttempt.objects.filter(
        username__in=[m.user.username for m in members], attempt_time__gte=since
    ).values_list("username", "failures_since_start"):
        counts[username] = counts.get(username, 0) + failures
        worst[username] = max(worst.get(username, 0), failures)
    for member in members:
        name = member.user.username
        member.failures = counts.get(name, 0)
        member.locked = (
            worst.get(name, 0) >= settings.AXES_FAILURE_LIMIT
            or member.failures >= settings.LOGIN_ACCOUNT_FAILURE_LIMIT
        )
    return members


def member(actor: Actor, code) -> Membership | None:
    """One member of staff of the actor's clinic by their user's code (None when there is
    no such member here: another clinic's staff are not named)."""
    actor.require("manage_staff")
    return (
        Membership.objects.filter(clinic=actor.clinic, user__code=code)
        .select_related("user")
        .first()
    )


def open_invitations(actor: Actor) -> list[StaffInvitation]:
    actor.require("manage_staff")
    return [
        i
        for i in StaffInvitation.objects.filter(
            clinic=actor.clinic, used_at__isnull=True, revoked_at__isnull=True
        )
        if i.open
    ]


def sign_in_problems(actor: Actor, limit: int = 50) -> list[AuditEvent]:
    """The clinic's latest failed sign-ins and lockouts (from the audit log)."""
    actor.require("manage_staff")
    return list(
        AuditEvent.objects.filter(clinic=actor.clinic, action__in=SIGN_IN_PROBLEMS).order_by(
            "-at", "-id"
        )[:limit]
    )
