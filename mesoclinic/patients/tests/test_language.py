"""A patient's preferred language: chosen on the patient form (the page's language to
start with), changed with an audit entry, used for every message to them."""

from django.urls import reverse
from django.utils import translation

from mesoclinic.audit.models import AuditEvent
from mesoclinic.lib.language import person_language
from mesoclinic.patients.models import Patient

FORM = {
    "given_name": "Deniz",
    "family_name": "Kaya",
    "birth_date": "1980-01-02",
    "sex": "female",
    "phone": "+90 532 111 22 33",
}


def test_the_form_offers_the_pages_language_and_stores_the_choice(login, nora):
    client = login(nora)
    with translation.override("tr"):
        page = client.get(reverse("patients:register"), headers={"accept-language": "tr"})
    assert '<option value="tr" selected>' in page.content.decode()
    page = client.post(reverse("patients:register"), {**FORM, "language": "tr"})
    assert page.status_code == 302
    patient = Patient.objects.get()
    assert patient.language == "tr" and person_language(patient) == "tr"


def test_an_unknown_language_is_refused_and_nothing_saved(login, nora):
    page = login(nora).post(reverse("patients:register"), {**FORM, "language": "xx"})
    assert page.status_code in (200, 400)
    assert "Select a valid choice" in page.content.decode()
    assert not Patient.objects.exists()


def test_no_choice_means_the_clinics_language(login, nora, settings):
    login(nora).post(reverse("patients:register"), FORM)
    patient = Patient.objects.get()
    assert patient.language == ""
    settings.LANGUAGE_CODE = "tr"
    assert person_language(patient) == "tr"


def test_changing_the_language_is_audited(login, nora, patient):
    client = login(nora)
    data = {
        "given_name": patient.given_name,
        "family_name": patient.family_name,
        "birth_date": patient.birth_date.isoformat(),
        "sex": patient.sex,
        "phone": patient.phone,
        "email": patient.email,
        "language": "tr",
    }
    assert client.post(reverse("patients:edit", args=[patient.code]), data).status_code == 302
    patient.refresh_from_db()
    assert patient.language == "tr"
    event = AuditEvent.objects.filter(action="update", patient_code=patient.code).latest("pk")
    assert "language" in event.detail["changed"]
