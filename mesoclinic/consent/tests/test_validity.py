import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from mesoclinic.audit.models import AppendOnly, AuditEvent
from mesoclinic.consent import access, actions
from mesoclinic.consent.models import Consent, ConsentWithdrawal
from mesoclinic.consent.validity import validity
from mesoclinic.consent.versions import current_template
from tests.support import personas
from tests.support.chart import whole_chart

from .helpers import sign, use_knowledge


def test_a_consent_is_valid_for_its_protocol_and_product_classes(nora, patient):
    consent = sign(nora, patient, classes=["ha-skin-booster", "vitamin-cocktail"])
    assert validity(consent, "face-mesolift", ["vitamin-cocktail"]) == (True, [])
    assert validity(consent, "face-mesolift", []) == (True, [])
    status = access.consent_status(
        personas.actor(nora), patient, "face-mesolift", ["ha-skin-booster"]
    )
    assert status.valid and status.consent == consent and status.reasons == []


def test_a_consent_is_not_valid_for_another_protocol_or_a_new_product_class(nora, patient):
    consent = sign(nora, patient, classes=["ha-skin-booster"])
    assert validity(consent, "hair", []) == (
        False,
        ["signed for Face mesolift (facial mesotherapy), not for Hair mesotherapy (scalp)"],
    )
    assert validity(consent, "face-mesolift", ["ha-skin-booster", "organic-silicon"]) == (
        False,
        ["does not cover Organic silicon"],
    )
    act = personas.actor(nora)
    status = access.consent_status(act, patient, "face-mesolift", ["organic-silicon"])
    assert not status.valid and status.consent == consent
    assert status.reasons == ["does not cover Organic silicon"]
    status = access.consent_status(act, patient, "hair", [])
    assert not status.valid and "not for Hair mesotherapy (scalp)" in status.reasons[0]
    # a second consent that covers the new class makes the treatment valid again
    newer = sign(nora, patient, classes=["organic-silicon"])
    status = access.consent_status(act, patient, "face-mesolift", ["organic-silicon"])
    assert status.valid and status.consent == newer


@pytest.mark.django_db
def test_no_consent_at_all(nora, patient):
    status = access.consent_status(personas.actor(nora), patient, "prp", ["prp-kit"])
    assert not status.valid and status.consent is None
    assert status.reasons == [
        "no consent signed for PRP (autologous platelet-rich plasma), face and scalp"
    ]


def test_a_later_text_version_invalidates_and_the_chart_says_so(
    login, nora, patient, monkeypatch, edited_knowledge
):
    sign(nora, patient)
    use_knowledge(
        monkeypatch,
        edited_knowledge,
        lambda f: f["protocols/face-mesolift.yaml"]["session_minutes"].update(value=20),
    )
    status = access.consent_status(personas.actor(nora), patient, "face-mesolift", [])
    assert status.reasons == ["template version 2 is newer than the signed version 1"]
    chart = whole_chart(login(nora), patient)
    assert "Not valid" in chart and "template version 2 is newer" in chart
    assert "Each session takes about 20 minutes." in str(current_template("face-mesolift").body)


def test_withdrawal_is_recorded_beside_the_consent_which_never_changes(login, nora, patient):
    consent = sign(nora, patient)
    client = login(nora)
    url = reverse("consent:withdraw", args=[consent.code])
    empty = client.post(url, {"reason": " "})
    assert (
        empty.status_code == 400 and "Give the reason for the withdrawal." in empty.content.decode()
    )
    assert not ConsentWithdrawal.objects.exists()
    page = client.post(url, {"reason": "Changed her mind."})
    assert page.status_code == 302
    withdrawal = ConsentWithdrawal.objects.get()
    assert withdrawal.withdrawn_by == nora and withdrawal.reason == "Changed her mind."
    assert AuditEvent.objects.filter(action="update", object_code=str(consent.code)).exists()
    consent = Consent.objects.get()
    valid, reasons = validity(consent, "face-mesolift", [])
    assert (
        not valid and reasons[0].startswith("withdrawn on ") and "Changed her mind." in reasons[0]
    )
    detail = client.get(page.url).content.decode()
    assert "Not valid" in detail and "Withdraw this consent" not in detail
    chart = whole_chart(client, patient)
    assert "Consent withdrawn" in chart
    again = client.post(url, {"reason": "twice"})
    assert "already been withdrawn" in again.content.decode()
    with pytest.raises(Exception, match="already been withdrawn"):
        actions.withdraw_consent(personas.actor(nora), consent, "twice")
    assert ConsentWithdrawal.objects.count() == 1


def test_consents_are_append_only_in_the_orm_and_the_database(nora, patient):
    consent = sign(nora, patient)
    consent.signer_name = "Someone else"
    with pytest.raises(AppendOnly):
        consent.save()
    with pytest.raises(AppendOnly):
        Consent.objects.filter(pk=consent.pk).update(signer_name="x")
    with pytest.raises(AppendOnly):
        consent.delete()
    actions.withdraw_consent(personas.actor(nora), consent, "Moved away.")
    for sql in (
        "UPDATE consent_consent SET signer_name = 'x'",
        "UPDATE consent_consenttemplate SET version = version + 1",
        "UPDATE consent_consentwithdrawal SET reason = 'x'",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert Consent.objects.get().signer_name == patient.full_name


def test_the_actions_refuse_what_the_form_refuses(nora, patient):
    from django.core.exceptions import ValidationError

    from .helpers import png_data_url

    with pytest.raises(ValidationError, match="empty"):
        sign(nora, patient, signature=png_data_url(ink=False))
    with pytest.raises(ValidationError, match="exactly one signature"):
        sign(nora, patient, typed_signature=True)
    with pytest.raises(ValidationError, match="product classes"):
        sign(nora, patient, classes=["botox"])
    assert not Consent.objects.exists()
