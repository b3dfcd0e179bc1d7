"""Refusals of signing and withdrawing consent: who may sign, with what, and only once."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mesoclinic.accounts.actor import Actor
from mesoclinic.audit.models import AuditEvent
from mesoclinic.consent.actions import sign_consent, withdraw_consent
from mesoclinic.consent.models import Consent, ConsentWithdrawal
from mesoclinic.consent.tests.helpers import png_data_url, sign
from mesoclinic.consent.versions import current_template
from tests.support import personas


def _sign(actor, patient, **extra):
    return sign_consent(
        actor,
        patient,
        template=current_template("face-mesolift"),
        product_classes=["ha-skin-booster"],
        signer_name=extra.pop("signer_name", patient.full_name),
        **{"signature": png_data_url(), **extra},
    )


def test_only_the_patient_signs_online_and_only_by_drawing(nora, patient):
    with pytest.raises(PermissionDenied):
        _sign(personas.actor(nora), patient, by_patient=True)  # staff cannot sign as the patient
    assert not Consent.objects.exists()


def test_a_consent_needs_a_person_as_witness_a_language_and_a_name(nora, patient, clinic_a):
    with pytest.raises(ValueError, match="witnessed by a person"):
        _sign(Actor.system(clinic_a, role="nurse"), patient)
    with pytest.raises(ValueError, match="language"):
        _sign(personas.actor(nora), patient, language="xx")
    with pytest.raises(ValueError, match="signer's name"):
        _sign(personas.actor(nora), patient, signer_name="   ")
    with pytest.raises(ValidationError) as err:
        _sign(personas.actor(nora), patient, typed_signature=True)  # and a drawing: two
    assert "signature" in err.value.message_dict
    assert not Consent.objects.exists()


def test_a_consent_is_withdrawn_once_with_a_reason(nora, patient):
    consent = sign(nora, patient)
    act = personas.actor(nora)
    with pytest.raises(ValidationError) as err:
        withdraw_consent(act, consent, "  ")
    assert "reason" in err.value.message_dict
    withdraw_consent(act, consent, "The patient changed her mind")
    with pytest.raises(ValidationError, match="already been withdrawn"):
        withdraw_consent(act, consent, "Again")
    assert ConsentWithdrawal.objects.filter(consent=consent).count() == 1
    assert AuditEvent.objects.filter(summary="consent withdrawn").count() == 1
