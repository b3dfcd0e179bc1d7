"""Writes of set-up and staff management. Each owns its transaction and its audit entry.

`create_clinic` makes a fresh installation's first clinic with its opening hours and first
clinic admin (the web set-up and `mesoclinic createclinic` both call it; refused once a
clinic exists). A clinic admin then invites staff by e-mail (a single-use, expiring link
whose secret is stored nowhere), changes their role, deactivates them and unlocks an
account locked after failed sign-ins.
"""

import datetime as dt

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.accounts.actor import Actor
from mesoclinic.accounts.models import Clinic, Membership, User
from mesoclinic.accounts.roles import STAFF, Role
from mesoclinic.audit.actions import record
from mesoclinic.outbox import actions as outbox
from mesoclinic.scheduling.models import OpeningHours

from . import tokens, twofactor
from .messages import STAFF_INVITATION, TOKEN_SLOT
from .models import StaffInvitation


def invitation_hours() -> int:
    return int(getattr(settings, "STAFF_INVITATION_HOURS", 72))


def _check_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None


def _check_username(username: str) -> None:
    User.username_validator(username)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": [_("This user name is taken; choose another.")]})


@transaction.atomic
def create_clinic(
    *,
    name: str,
    timezone_name: str,
    admin_username: str,
    admin_password: str,
    admin_email: str = "",
    address: str = "",
    phone: str = "",
    languages: list[str] | None = None,
    hours: list[tuple[int, dt.time, dt.time]] = (),
    ip: str | None = None,
    user_agent: str = "",
) -> tuple[Clinic, User]:
    """The installation's first clinic and its first clinic admin; refused once a clinic
    exists (a second clinic is not made by strangers on the set-up page)."""
    if Clinic.objects.select_for_update().exists():
        raise ValidationError(_("This installation already has a clinic; set-up is closed."))
    known = {code for code, _label in settings.LANGUAGES}
    languages = list(languages or [settings.LANGUAGE_CODE])
    unknown = [code for code in languages if code not in known]
    if unknown:
        raise ValidationError(
            {"languages": [_("Unknown language: %(code)s.") % {"code": ", ".join(unknown)}]}
        )
    clinic = Clinic(
        name=name, timezone=timezone_name, address=address, phone=phone, languages=languages
    )
    clinic.full_clean(exclude=["logo", "two_factor_roles"])
    try:
        _check_username(admin_username)
    except ValidationError as exc:
        raise ValidationError({"username": exc.messages}) from None
    user = User(username=admin_username, email=admin_email)
    _check_password(admin_password, user)
    clinic.save()
    user.set_password(admin_password)
    user.save()
    Membership.objects.create(user=user, clinic=clinic, role=Role.CLINIC_ADMIN)
    for weekday, start, end in hours:
        if end <= start:
            raise ValidationError(_("Closing time must be after opening time."))
        OpeningHours.objects.create(clinic=clinic, weekday=weekday, start=start, end=end)
    actor = Actor(user, clinic, Role.CLINIC_ADMIN, ip, user_agent[:300])
    record(actor, "create", clinic, summary="clinic created by set-up")
    return clinic, user


@transaction.atomic
def invite_staff(
    actor: Actor, *, email: str, role: str, link_for, language: str = "en"
) -> tuple[StaffInvitation, str]:
    """A new invitation for `email` (earlier open ones to the same address stop working),
    e-mailed through the outbox. Returns it and its secret; the secret is not stored."""
    actor.require("manage_staff")
    if role not in STAFF:
        raise ValidationError({"role": [_("Choose a staff role.")]})
    email = email.strip()
    if Membership.objects.filter(clinic=actor.clinic, user__email__iexact=email).exists():
        raise ValidationError({"email": [_("Someone of this clinic already has this address.")]})
    now = timezone.now()
    StaffInvitation.objects.filter(
        clinic=actor.clinic, email__iexact=email, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now, nonce="")
    invitation = StaffInvitation(
        clinic=actor.clinic,
        email=email,
        role=role,
        nonce=tokens.new_nonce(),
        expires_at=now + dt.timedelta(hours=invitation_hours()),
        created_by=actor.user,
    )
    invitation.full_clean(exclude=["token_hash"])
    secret = tokens.derive(invitation.code, invitation.nonce)
    invitation.token_hash = tokens.token_hash(secret)
    invitation.save()
    link = link_for(secret)
    if secret not in link:
        raise ValueError("link_for(secret) must return a link that contains the secret")
    outbox.create(
        f"staff-invitation:{invitation.code}",
        STAFF_INVITATION,
        clinic=actor.clinic,
        channel=outbox.Channel.EMAIL,
        about=invitation,
        params={"link": link.replace(secret, TOKEN_SLOT), "language": language},
    )
    record(actor, "create", invitation, summary=f"staff invitation ({role})")
    return invitation, secret


def open_invitation(secret: str) -> StaffInvitation | None:
    invitation = (
        StaffInvitation.objects.select_related("clinic")
        .filter(token_hash=tokens.token_hash(secret or ""))
        .first()
    )
    return invitation if invitation is not None and invitation.open else None


@transaction.atomic
def accept_invitation(
    secret: str,
    *,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    ip: str | None = None,
    user_agent: str = "",
) -> User:
    """Use the invitation once: a staff account in the inviting clinic with its role."""
    invitation = (
        StaffInvitation.objects.select_for_update()
        .select_related("clinic")
        .filter(token_hash=tokens.token_hash(secret or ""))
        .first()
    )
    if invitation is None or not invitation.open:
        raise ValidationError(_("This invitation link cannot be used any more."), code="invalid")
    _check_username(username)
    user = User(
        username=username, email=invitation.email, first_name=first_name, last_name=last_name
    )
    _check_password(password, user)
    user.set_password(password)
    user.save()
    Membership.objects.create(user=user, clinic=invitation.clinic, role=invitation.role)
    invitation.used_at = timezone.now()
    invitation.nonce = ""
    invitation.user = user
    invitation.save(update_fields=["used_at", "nonce", "user"])
    actor = Actor(user, invitation.clinic, invitation.role, ip, user_agent[:300])
    record(actor, "create", invitation, summary="staff invitation accepted")
    return user


def _member(actor: Actor, code) -> Membership:
    actor.require("manage_staff")
    membership = (
        Membership.objects.select_for_update()
        .select_related("user")
        .filter(clinic=actor.clinic, user__code=code, role__in=STAFF)
        .first()
    )
    if membership is None:
        raise ValidationError(_("No such member of staff in this clinic."))
    return membership


def _last_admin(membership: Membership) -> bool:
    others = Membership.objects.filter(
        clinic=membership.clinic, role=Role.CLINIC_ADMIN, is_active=True
    ).exclude(pk=membership.pk)
    return membership.role == Role.CLINIC_ADMIN and not others.exists()


@transaction.atomic
def set_role(actor: Actor, code, role: str) -> Membership:
    membership = _member(actor, code)
    if role not in STAFF:
        raise ValidationError({"role": [_("Choose a staff role.")]})
    if role != membership.role and _last_admin(membership):
        raise ValidationError(_("The clinic needs at least one active clinic admin."))
    if role != membership.role:
        before = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        record(actor, "update", membership.user, summary=f"role: {before} -> {role}")
    return membership


@transaction.atomic
def set_active(actor: Actor, code, active: bool) -> Membership:
    """Deactivate (no sign-in, no access) or reactivate a member of staff."""
    membership = _member(actor, code)
    if not active and membership.user_id == actor.user.pk:
        raise ValidationError(_("You cannot deactivate yourself."))
    if not active and _last_admin(membership):
        raise ValidationError(_("The clinic needs at least one active clinic admin."))
    if membership.is_active != active:
        membership.is_active = active
        membership.save(update_fields=["is_active"])
        record(actor, "update", membership.user, summary="activated" if active else "deactivated")
    return membership


@transaction.atomic
def unlock(actor: Actor, code) -> int:
    """Clear the failed sign-ins that lock a member of staff out (every address)."""
    membership = _member(actor, code)
    cleared = axes_reset(username=membership.user.username)
    twofactor.clear_failures(membership.user)
    record(actor, "unlock", membership.user, summary=f"unlocked ({cleared} records cleared)")
    return cleared
