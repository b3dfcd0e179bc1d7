"""The clinic's languages (its settings page) are the only ones offered: the language
switch of the staff pages and the portal, the patient's preferred language (staff form and
portal profile), and the language a page is shown in. A clinic that names none offers
every language of the site."""

import pytest
from django.core.exceptions import ValidationError

from mesoclinic.lib.language import clinic_default, offered
from mesoclinic.patients.actions import set_language
from mesoclinic.patients.models import Patient
from tests.support import personas

pytestmark = pytest.mark.django_db


def _speaks(clinic, *codes):
    clinic.languages = list(codes)
    clinic.save()


def _switch(html: str) -> list[str]:
    if 'id="lang-select"' not in html:
        return []
    select = html.split('id="lang-select"')[1].split("</select>")[0]
    return [part.split('"')[0] for part in select.split('option value="')[1:]]


def test_the_offered_languages(clinic_a, settings):
    assert offered(None) == ["en", "tr"] and offered(clinic_a) == ["en", "tr"]
    _speaks(clinic_a, "tr", "xx")  # an unknown code is ignored
    assert offered(clinic_a) == ["tr"] and clinic_default(clinic_a) == "tr"
    _speaks(clinic_a, "tr", "en")
    assert offered(clinic_a) == ["en", "tr"] and clinic_default(clinic_a) == "en"
    settings.LANGUAGE_CODE = "tr"
    assert clinic_default(clinic_a) == "tr"


def test_staff_pages_offer_the_clinics_languages_only(login, nora, clinic_a):
    client = login(nora)
    page = client.get("/patients/", headers={"accept-language": "tr"}).content.decode()
    assert _switch(page) == ["en", "tr"] and '<html lang="tr">' in page
    _speaks(clinic_a, "tr")
    page = client.get("/patients/", headers={"accept-language": "en"}).content.decode()
    assert '<html lang="tr">' in page and "Hastalar" in page  # not the browser's English
    assert _switch(page) == []  # one language: nothing to switch
    client.post("/i18n/setlang/", {"language": "en", "next": "/patients/"})
    page = client.get("/patients/").content.decode()
    assert '<html lang="tr">' in page  # the cookie cannot bring back what is not offered
    _speaks(clinic_a, "en")
    page = client.get("/patients/", headers={"accept-language": "tr"}).content.decode()
    assert '<html lang="en">' in page


def test_the_sign_in_page_offers_every_site_language(client, clinic_a):
    _speaks(clinic_a, "tr")
    assert _switch(client.get("/accounts/login").content.decode()) == ["en", "tr"]


def test_the_staff_form_offers_the_clinics_languages(login, alice, clinic_a, patient):
    _speaks(clinic_a, "tr")
    client = login(alice)
    page = client.get(f"/patients/{patient.code}/edit").content.decode()
    select = page.split('name="language"')[1].split("</select>")[0]
    assert 'value="tr"' in select and 'value="en"' not in select


def test_the_portal_offers_the_clinics_languages(portal, patient, clinic_a):
    _speaks(clinic_a, "tr")
    page = portal.get("/portal/profile", headers={"accept-language": "en"})
    html = page.content.decode()
    assert '<html lang="tr">' in html
    assert 'value="tr"' in html and 'name="language" value="en"' not in html
    refused = portal.post("/portal/profile", {"language": "en"})
    assert refused.status_code == 400
    patient.refresh_from_db()
    assert patient.language != "en"


def test_a_patient_whose_language_the_clinic_dropped_sees_the_clinics(portal, patient, clinic_a):
    patient.language = "en"
    patient.save()
    _speaks(clinic_a, "tr")
    html = portal.get("/portal/", headers={"accept-language": "en"}).content.decode()
    assert '<html lang="tr">' in html and "Randevular" in html


def test_the_action_refuses_a_language_the_clinic_does_not_offer(alice, clinic_a, patient):
    _speaks(clinic_a, "tr")
    patient = Patient.objects.get(pk=patient.pk)  # with the clinic as it is now
    with pytest.raises(ValidationError) as refused:
        set_language(personas.actor(alice), patient, "en")
    assert "does not offer" in str(refused.value)
    set_language(personas.actor(alice), patient, "tr")
    patient.refresh_from_db()
    assert patient.language == "tr"
