"""Who may download which document (and every PDF made is audited), and the PDFs the
patient is sent by e-mail: the consent copy after signing, the aftercare sheet."""

import pytest
from django.core import mail
from django.urls import reverse

from mesoclinic.audit.models import AuditEvent
from mesoclinic.consent.models import Consent
from mesoclinic.documents.tests.pdfcheck import text_of
from mesoclinic.outbox.models import Message, MessageStatus
from mesoclinic.treatments.tests.conftest import TODAY
from tests.support import journeys, personas

pytestmark = pytest.mark.django_db


def _urls(patient, session):
    consent = Consent.objects.filter(patient=patient).first()
    return [
        reverse("documents:consent", args=[consent.code]),
        reverse("documents:session", args=[session.code]),
        reverse("documents:aftercare", args=[session.code]),
        reverse("documents:summary", args=[patient.code]),
        reverse("documents:summary", args=[patient.code]) + "?for=doctor",
    ]


def test_staff_with_clinical_access_download_each_pdf_and_it_is_audited(
    client, alice, patient, session
):
    client.force_login(alice)
    for url in _urls(patient, session):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith('attachment; filename="')
        assert response["Content-Disposition"].isascii()
        assert response.content.startswith(b"%PDF-")
    exports = AuditEvent.objects.filter(action="export", patient_code=patient.code)
    assert exports.count() == 5
    assert {e.username for e in exports} == {"alice"}


def test_front_desk_another_clinic_and_anonymous_get_nothing(
    client, frank, charlie, patient, session
):
    urls = _urls(patient, session)
    for url in urls:  # not signed in: to the sign-in page
        assert client.get(url).status_code == 302
    client.force_login(frank)  # front desk: no clinical access
    for url in urls:
        assert client.get(url).status_code == 403, url
    client.force_login(charlie)  # a physician of another clinic: no such record
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_patient_gets_their_own_documents_and_no_one_elses(
    client, alice, nora, patient, session
):
    own = journeys.portal_user(alice, patient)
    client.force_login(own)
    urls = _urls(patient, session)
    for url in urls[:4]:
        assert client.get(url).status_code == 200, url
    assert client.get(urls[4]).status_code == 404  # the summary for a doctor is staff's
    other = personas.make_patient(personas.actor(alice), given="Other", family="Person")
    client.force_login(journeys.portal_user(alice, other, username="other-patient"))
    for url in urls:
        assert client.get(url).status_code == 404, url
    # a draft session (not signed off) is not the patient's to download
    from django.utils import timezone

    from mesoclinic.treatments.models import TreatmentSession

    client.force_login(own)
    draft = TreatmentSession.objects.create(
        plan=session.plan,
        patient=patient,
        number=2,
        protocol=session.protocol,
        started_at=timezone.now(),
        started_by=nora,
    )
    assert client.get(reverse("documents:session", args=[draft.code])).status_code == 404


def test_bad_codes_are_404_not_errors(client, alice, patient):
    client.force_login(alice)
    assert (
        client.get("/documents/consent/00000000-0000-0000-0000-000000000000.pdf").status_code == 404
    )
    assert (
        client.get(f"/documents/patients/{patient.code}/summary.pdf?for=lawyer").status_code == 404
    )
    assert client.get("/documents/sessions/not-a-uuid.pdf").status_code == 404


def test_patient_documents_lists_every_pdf_for_the_copy(alice, patient, session):
    from mesoclinic.documents.access import patient_documents

    files = patient_documents(personas.actor(alice), patient)
    names = [name for name, _pdf in files]
    assert len(names) == len(set(names)) == 4  # consent, session, aftercare, summary
    assert all(n.endswith(".pdf") and n.isascii() for n in names)
    assert all(pdf.startswith(b"%PDF-") for _n, pdf in files)


def test_the_consent_copy_is_e_mailed_with_its_pdf(
    nora, patient, booster, django_capture_on_commit_callbacks
):
    patient.email = "ayse@example.org"
    patient.language = "tr"
    patient.save()
    product, _lot = booster
    with django_capture_on_commit_callbacks(execute=True):
        journeys.ready_plan(nora, patient, product, TODAY)
    message = Message.objects.get(kind="consent_copy")
    assert message.status == MessageStatus.SENT
    (email,) = [m for m in mail.outbox if m.to == ["ayse@example.org"]]
    ((name, content, mimetype),) = email.attachments
    assert mimetype == "application/pdf" and name.endswith(".pdf")
    text = text_of(content)
    assert "Ayşe Yılmaz" in text and "Clinic A" in text
    assert AuditEvent.objects.filter(
        object_code=str(message.code), action="send", summary__contains="1 attachment"
    ).exists()


def test_the_aftercare_e_mail_carries_the_sheet_as_pdf(
    nora, patient, plan, lot, django_capture_on_commit_callbacks
):
    patient.email = "ayse@example.org"
    patient.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        session = journeys.signed_session(nora, plan, lot)
    (email,) = [m for m in mail.outbox if "aftercare" in m.subject.lower()]
    ((name, content, mimetype),) = email.attachments
    assert mimetype == "application/pdf"
    first = session.aftercare_sheet.items["items"][0]["label"]
    assert first in " ".join(text_of(content).split())


def test_an_sms_carries_no_attachment(nora, patient, plan, lot):
    from mesoclinic.outbox import kinds

    message = Message(kind="aftercare", channel="sms")
    assert kinds.attachments(message, kinds.Letter("s", "b", attachments=(("a", b"x", "t"),))) == []


def test_the_pages_link_to_their_pdfs(client, alice, patient, session):
    consent = Consent.objects.filter(patient=patient).first()
    client.force_login(alice)
    pages = {
        reverse("consent:detail", args=[consent.code]): reverse(
            "documents:consent", args=[consent.code]
        ),
        reverse("treatments:session", args=[session.code]): reverse(
            "documents:session", args=[session.code]
        ),
        reverse("followup:aftercare", args=[session.code]): reverse(
            "documents:aftercare", args=[session.code]
        ),
        reverse("patients:chart", args=[patient.code]): reverse(
            "documents:summary", args=[patient.code]
        ),
    }
    for page, pdf in pages.items():
        html = client.get(page).content.decode()
        assert f'href="{pdf}"' in html, page
        assert 'media="print"' in html  # the print stylesheet
    client.force_login(journeys.portal_user(alice, patient))
    for page, pdf in [
        (
            reverse("portal:aftercare", args=[session.code]),
            pages[reverse("followup:aftercare", args=[session.code])],
        ),
        (reverse("portal:home"), reverse("documents:summary", args=[patient.code])),
    ]:
        html = client.get(page).content.decode()
        assert f'href="{pdf}"' in html, page
        assert "for=doctor" not in html
