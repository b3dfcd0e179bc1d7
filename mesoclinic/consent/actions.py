"""Every write of consents: one transaction, one audit entry."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mesoclinic.accounts.actor import Actor
from mesoclinic.audit.actions import record
from mesoclinic.engine.knowledge import load

from . import signals
from .document import languages
from .models import Consent, ConsentTemplate, ConsentWithdrawal
from .signature import check_signature
from .versions import current_template


def changed_text(current: ConsentTemplate) -> ValidationError:
    return ValidationError(
        _(
            "The consent text changed while this page was open; version %(n)s is shown now. "
            "Read it with the patient, then sign again."
        )
        % {"n": current.version},
        code="changed",
    )


@transaction.atomic
def sign_consent(
    actor: Actor,
    patient,
    *,
    template: ConsentTemplate,
    product_classes: list[str],
    signer_name: str,
    signature: str = "",
    typed_signature: bool = False,
    language: str = "en",
    by_patient: bool = False,
) -> Consent:
    """The patient's consent, signed on screen (or by the typed name, with the logged-in
    clinician as witness) on the current version of the protocol's text. With `by_patient`
    the patient signs online in the portal, by drawing; the caller checked it is their own record."""
    if by_patient:
        if actor.role != "patient" or actor.user is None or typed_signature:
            raise PermissionDenied("only the patient signs online, by drawing")
    else:
        actor.require("record_clinical")
        if actor.user is None:
            raise ValueError("a consent is witnessed by a person")
    if template.pk != current_template(template.protocol).pk:
        raise ValidationError({"__all__": [changed_text(current_template(template.protocol))]})
    known = load().product_classes
    if not product_classes or any(pc not in known for pc in product_classes):
        raise ValidationError({"product_classes": [_("Tick the product classes it covers.")]})
    if typed_signature == bool(signature):
        raise ValidationError({"signature": [_("Give exactly one signature.")]})
    if signature:
        check_signature(signature)
    if language not in languages() or not signer_name.strip():
        raise ValueError("a consent needs its language and the signer's name")
    consent = Consent.objects.create(
        patient=patient,
        template=template,
        language=language,
        product_classes=sorted(set(product_classes)),
        signer_name=signer_name.strip(),
        signature=signature,
        typed_signature=typed_signature,
        witnessed_by=actor.user,
        ip=actor.ip,
    )
    record(
        actor,
        "sign",
        consent,
        patient=patient,
        summary=f"consent {template.protocol} v{template.version}"
        + (", signed online" if by_patient else ""),
        detail={
            "product_classes": consent.product_classes,
            "typed": typed_signature,
            "portal": by_patient,
        },
    )
    # documents: the patient's copy, a PDF by e-mail, after the commit
    signals.consent_signed.send(sender=Consent, consent=consent, actor=actor)
    return consent


@transaction.atomic
def withdraw_consent(actor: Actor, consent: Consent, reason: str) -> ConsentWithdrawal:
    actor.require("record_clinical")
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for the withdrawal.")]})
    if ConsentWithdrawal.objects.filter(consent=consent).exists():
        raise ValidationError({"__all__": [_("This consent has already been withdrawn.")]})
    withdrawal = ConsentWithdrawal.objects.create(
        consent=consent, reason=reason.strip(), withdrawn_by=actor.user
    )
    record(actor, "update", consent, patient=consent.patient, summary="consent withdrawn")
    return withdrawal
