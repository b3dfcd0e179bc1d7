"""Every write of the portal: one transaction, one audit entry.

Staff invite a patient (a single-use, expiring link); the patient accepts it and gets a
sign-in tied to their record only. A patient then fills in their medical history, signs
consent, asks to move an appointment; side effects, check-ins and GAIS self-ratings go
through `followup.actions`, which check the same ownership.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.accounts.actor import Actor
from mesoclinic.accounts.models import Membership, User
from mesoclinic.accounts.roles import Role
from mesoclinic.audit.actions import record
from mesoclinic.consent import actions as consent_actions
from mesoclinic.followup import policy
from mesoclinic.outbox import actions as outbox
from mesoclinic.patients import actions as patient_actions
from mesoclinic.scheduling import access as scheduling_access

from . import tokens
from .access import patient_of, token_hash
from .messages import INVITATION, TOKEN_SLOT
from .models import AppointmentChangeRequest, Invitation, PortalAccount, RequestStatus


def invitation_hours() -> int:
    return int(getattr(settings, "PORTAL_INVITATION_HOURS", 72))


def own_patient(actor: Actor):
    """The patient this patient actor acts for, or PermissionDenied."""
    patient = patient_of(actor)
    if patient is None:
        raise PermissionDenied("not a portal user")
    return patient


def _require_own(actor: Actor, patient) -> None:
    if own_patient(actor).pk != patient.pk:
        raise PermissionDenied("not this patient's own record")


@transaction.atomic
def invite_patient(actor: Actor, patient, *, link_for) -> tuple[Invitation, str]:
    """A new invitation link (earlier unused ones stop working). Returns the invitation
    and its secret, to show once; the secret is not stored (see tokens.py). `link_for(secret)`
    makes the absolute link; when the patient has an e-mail address the outbox sends it,
    and the message keeps the link with the secret's place empty: the secret is derived
    again when the e-mail is rendered."""
    actor.require("edit_demographics")
    if patient.clinic_id != actor.clinic.pk:
        raise PermissionDenied("another clinic's patient")
    if PortalAccount.objects.filter(patient=patient).exists():
        raise ValidationError(_("This patient already has portal access."))
    now = timezone.now()
    Invitation.objects.filter(
        patient=patient, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now, nonce="")
    invitation = Invitation(
        patient=patient,
        nonce=tokens.new_nonce(),
        expires_at=now + dt.timedelta(hours=invitation_hours()),
        created_by=actor.user,
    )
    secret = tokens.derive(invitation.code, invitation.nonce)
    invitation.token_hash = tokens.token_hash(secret)
    invitation.save()
    record(actor, "create", invitation, patient=patient, summary="portal invitation")
    if patient.email:
        link = link_for(secret)
        if secret not in link:  # the secret must never be stored: keep only its place
            raise ValueError("link_for(secret) must return a link that contains the secret")
        outbox.create(
            f"invitation:{invitation.code}",
            INVITATION,
            clinic=patient.clinic,
            patient=patient,
            channel=outbox.Channel.EMAIL,
            about=invitation,
            params={"link": link.replace(secret, TOKEN_SLOT)},
        )
    return invitation, secret


@transaction.atomic
def accept_invitation(
    secret: str, *, username: str, password: str, ip: str | None = None, user_agent: str = ""
) -> PortalAccount:
    """Use the invitation once: a user with a patient membership in the patient's clinic,
    tied to the patient by a PortalAccount. The caller validated the password."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("patient__clinic")
        .filter(token_hash=token_hash(secret or ""))
        .first()
    )
    now = timezone.now()
    if (
        invitation is None
        or invitation.used_at is not None
        or invitation.revoked_at is not None
        or invitation.expires_at <= now
    ):
        raise ValidationError(_("This invitation link cannot be used any more."), code="invalid")
    patient = invitation.patient
    if PortalAccount.objects.filter(patient=patient).exists():
        raise ValidationError(_("You already have portal access: sign in instead."), code="taken")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": [_("This user name is taken; choose another.")]})
    user = User.objects.create_user(
        username=username,
        password=password,
        email=patient.email,
        first_name=patient.given_name,
        last_name=patient.family_name,
    )
    Membership.objects.create(user=user, clinic=patient.clinic, role=Role.PATIENT)
    account = PortalAccount.objects.create(user=user, patient=patient, invitation=invitation)
    invitation.used_at = now
    invitation.nonce = ""  # the link can never be derived again
    invitation.save(update_fields=["used_at", "nonce"])
    actor = Actor(user, patient.clinic, Role.PATIENT, ip, user_agent[:300])
    record(actor, "create", account, patient=patient, summary="portal invitation accepted")
    return account


def record_intake_online(actor: Actor, data: dict):
    """The medical history, filled in by the patient (source: portal)."""
    patient = own_patient(actor)
    return patient_actions.record_own_intake(
        actor,
        patient,
        answers=data["answers"],
        fitzpatrick=data.get("fitzpatrick", ""),
        medicines=data.get("medicines"),
        conditions=data.get("conditions_list"),
        notes=data.get("notes", ""),
    )


@transaction.atomic
def sign_consent_online(
    actor: Actor, plan, *, template, signer_name: str, signature: str, language: str
):
    """The patient signs the consent for their plan's protocol and cocktail, by drawing
    their signature, on the current text version (the consent app's own checks apply)."""
    patient = own_patient(actor)
    if plan.patient_id != patient.pk:
        raise PermissionDenied("another patient's plan")
    classes = sorted({p.product_class for p in plan.products.all()})
    if not classes:
        raise ValidationError(_("The clinic has not chosen the products yet."))
    if not signature:
        raise ValidationError({"signature": [_("Sign in the box.")]})
    return consent_actions.sign_consent(
        actor,
        patient,
        template=template,
        product_classes=classes,
        signer_name=signer_name,
        signature=signature,
        language=language,
        by_patient=True,
    )


@transaction.atomic
def request_change(
    actor: Actor, appointment, *, earliest: dt.date, latest: dt.date, part_of_day: str, note: str
) -> AppointmentChangeRequest:
    """Ask the front desk to move an appointment to a day inside its session's window."""
    _require_own(actor, appointment.patient)
    if not scheduling_access.is_coming(appointment):
        raise ValidationError(_("Only a coming appointment can be moved."))
    window = scheduling_access.change_window(appointment)
    if window is None:
        raise ValidationError(
            _("There is no day left in this session's window: please call the clinic.")
        )
    errors = {}
    if latest < earliest:
        errors["latest"] = _("This day is before the first day.")
    elif earliest < window[0] or latest > window[1]:
        errors["earliest"] = _("Choose days between %(a)s and %(b)s.") % {
            "a": window[0].isoformat(),
            "b": window[1].isoformat(),
        }
    if AppointmentChangeRequest.objects.filter(
        appointment=appointment, status=RequestStatus.OPEN
    ).exists():
        errors["__all__"] = _("You already asked to move this appointment; the clinic will reply.")
    if errors:
        raise ValidationError(errors)
    req = AppointmentChangeRequest.objects.create(
        patient=appointment.patient,
        appointment=appointment,
        earliest=earliest,
        latest=latest,
        part_of_day=part_of_day,
        note=note[:300],
    )
    record(actor, "create", req, patient=appointment.patient, summary=f"{earliest}..{latest}")
    return req


@transaction.atomic
def handle_change_request(
    actor: Actor, req: AppointmentChangeRequest, *, status: str, answer: str = ""
) -> AppointmentChangeRequest:
    """The front desk moved the appointment (in the schedule), or cannot."""
    policy.require(actor, "book_appointments")
    req = AppointmentChangeRequest.objects.select_for_update().get(pk=req.pk)
    if req.appointment.clinic_id != actor.clinic.pk:
        raise PermissionDenied("another clinic's request")
    if status not in (RequestStatus.DONE, RequestStatus.DECLINED):
        raise ValidationError(_("Mark the request handled or not possible."))
    if req.status != RequestStatus.OPEN:
        raise ValidationError(_("This request was already handled."))
    req.status, req.answer = status, answer[:300]
    req.handled_by, req.handled_at = actor.user, timezone.now()
    req.save(update_fields=["status", "answer", "handled_by", "handled_at"])
    record(actor, "update", req, patient=req.patient, summary=f"change request {status}")
    return req
