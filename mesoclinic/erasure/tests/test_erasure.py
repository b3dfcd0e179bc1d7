"""Erasure on request: what goes at once, what the law keeps (and until when), the
identity anonymised in place once the retention period has passed, the append-only
triggers still standing afterwards, and who may do it."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from mesoclinic.audit.models import AuditEvent
from mesoclinic.consent.models import Consent
from mesoclinic.erasure import actions
from mesoclinic.erasure.models import PatientErasure, RetentionPolicy
from mesoclinic.photos import storage
from mesoclinic.photos.models import Photo
from tests.support import journeys, personas

pytestmark = pytest.mark.django_db


def _post(client, patient, **data):
    return client.post(reverse("erasure:confirm", args=[patient.code]), data)


def test_the_page_says_what_goes_what_stays_and_why(client, adam, patient, session):
    client.force_login(adam)
    html = client.get(reverse("erasure:confirm", args=[patient.code])).content.decode()
    assert "GDPR, Art. 17(3)(b)" in html or "GDPR), Art. 17(3)(b)" in html
    assert "20 years" in html and "1 December 2046" in html  # last care 2026-12-01 + 20 years
    response = _post(client, patient, note="letter", confirm="Wrong")
    assert response.status_code == 400 and "not the patient&#x27;s family name" in (
        response.content.decode()
    )
    assert not PatientErasure.objects.exists()


def test_within_the_retention_period_contact_photos_and_portal_go_the_record_stays(
    client, adam, alice, patient, session, photo
):
    patient.email, patient.phone = "ayse@example.org", "+905551112233"
    patient.save()
    account_user = journeys.portal_user(alice, patient)
    path = storage.path_of(photo.file)
    assert path.exists()
    client.force_login(adam)
    response = _post(client, patient, note="e-mail of 2 Dec 2026", confirm="yılmaz")
    assert response.status_code == 302
    patient.refresh_from_db()
    account_user.refresh_from_db()
    assert (patient.email, patient.phone, patient.language) == ("", "", "")
    assert patient.full_name == "Ayşe Yılmaz"  # the law keeps the record under the name
    assert not path.exists() and not Photo.objects.filter(patient=patient).exists()
    assert not account_user.is_active and account_user.email == ""
    erasure = PatientErasure.objects.get(patient=patient)
    assert str(erasure.retained_until) == "2046-12-01" and not erasure.identity_anonymised
    event = AuditEvent.objects.get(action="erase", patient_code=patient.code)
    assert event.username == "adam" and event.detail["files"] >= 1
    # once is enough: the page now says it is done
    assert "erased" in client.get(reverse("erasure:confirm", args=[patient.code])).content.decode()
    assert _post(client, patient, note="again", confirm="Yılmaz").status_code == 200


def test_after_the_retention_period_the_identity_is_anonymised_in_place(adam, patient, session):
    RetentionPolicy.objects.create(clinic=patient.clinic, years=0, reason="")
    consent = Consent.objects.get(patient=patient)
    assert consent.signer_name == "Ayşe Yılmaz"
    erasure = actions.erase_patient(personas.actor(adam), patient, "letter")
    assert erasure.identity_anonymised and erasure.retained_until is None
    patient.refresh_from_db()
    consent = Consent.objects.get(pk=consent.pk)
    assert "Ayşe" not in patient.full_name and "Yılmaz" not in patient.full_name
    assert (patient.birth_date.month, patient.birth_date.day) == (1, 1)
    assert consent.signer_name == "—" and consent.signature == ""
    assert session.points.count() == 1  # the clinical facts stay
    # the append-only trigger is back: a raw UPDATE is refused by the database
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():  # noqa: SIM117
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE consent_consent SET signer_name = 'x' WHERE id = %s", [consent.pk]
            )
    assert Consent.objects.get(pk=consent.pk).signer_name == "—"


@pytest.mark.parametrize("who", ["alice", "nora", "frank"])
def test_only_the_clinic_admin_may_erase(client, request, patient, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("erasure:confirm", args=[patient.code])).status_code == 403
    assert _post(client, patient, note="x", confirm="Yılmaz").status_code == 403
    assert not PatientErasure.objects.exists()


def test_another_clinics_admin_gets_404(client, clinic_b, patient):
    admin_b = personas.make_user("admin-b", clinic_b, "clinic_admin")
    client.force_login(admin_b)
    assert client.get(reverse("erasure:confirm", args=[patient.code])).status_code == 404


def test_the_redaction_path_changes_only_personal_columns(patient, session):
    from mesoclinic.erasure.redact import redact

    consent = Consent.objects.get(patient=patient)
    with pytest.raises(ValueError), transaction.atomic():
        redact(Consent, [consent.pk], {"language": "tr"})
    assert Consent.objects.get(pk=consent.pk).language == consent.language


def test_the_page_in_turkish(client, adam, patient, session):
    client.force_login(adam)
    client.cookies["django_language"] = "tr"
    html = client.get(
        reverse("erasure:confirm", args=[patient.code]), HTTP_ACCEPT_LANGUAGE="tr"
    ).content.decode()
    assert "Yasanın saklanmasını istedikleri" in html and "1 Aralık 2046" in html
    assert "silme talebi bu yükümlülüğü ortadan kaldırmaz" in html


def test_the_clinic_sets_its_retention_period_and_the_erasure_page_follows(
    client, adam, nora, patient, session
):
    url = reverse("erasure:retention")
    client.force_login(nora)
    assert client.get(url).status_code == 403
    client.force_login(adam)
    assert client.post(url, {"years": "-1", "reason": ""}).status_code == 400
    response = client.post(url, {"years": "10", "reason": "Our lawyer's reading of the law."})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="update", summary="retention period 10 years").exists()
    html = client.get(reverse("erasure:confirm", args=[patient.code])).content.decode()
    assert "1 December 2036" in html and "Our lawyer&#x27;s reading of the law." in html
