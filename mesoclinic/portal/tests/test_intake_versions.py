"""The portal's medical-history form never saves a blank version (an empty POST would have
replaced the patient's answers with nothing), and sending the same answers again adds no
copy: a new version only when something changed."""

import pytest
from django.utils import translation

from mesoclinic.patients.models import IntakeVersion

pytestmark = pytest.mark.django_db
URL = "/portal/medical-history"
ANSWERS = {"fact_pregnant": "no", "fact_allergies_none": "on", "fact_diabetes": "none"}


def test_an_empty_form_is_refused_with_a_message(portal, patient):
    page = portal.post(URL, {})
    assert page.status_code == 400
    assert "Nothing is answered: answer at least one question" in page.content.decode()
    assert not IntakeVersion.objects.exists()


def test_an_empty_form_does_not_blank_an_earlier_history(portal, patient):
    assert portal.post(URL, ANSWERS).status_code == 302
    first = IntakeVersion.objects.get()
    page = portal.post(URL, {})
    assert page.status_code == 400
    patient.refresh_from_db()
    assert IntakeVersion.objects.count() == 1 and patient.current_intake == first


def test_the_same_answers_again_add_no_version(portal, patient):
    portal.post(URL, ANSWERS)
    # the page sends the earlier answers back as they were filled in
    again = portal.post(URL, ANSWERS, follow=True)
    assert again.status_code == 200
    assert "Nothing has changed: the clinic already has these answers." in again.content.decode()
    assert IntakeVersion.objects.count() == 1
    changed = portal.post(URL, {**ANSWERS, "fact_pregnant": "yes"})
    assert changed.status_code == 302
    assert IntakeVersion.objects.count() == 2
    patient.refresh_from_db()
    assert patient.current_intake.number == 2 and patient.current_intake.answers["pregnant"]


def test_the_filled_in_page_sent_unchanged_adds_no_version(portal, patient):
    """What a browser sends back (every field with its filled-in value) is no change."""
    portal.post(
        URL,
        {
            **ANSWERS,
            "prescribed_medicines": "Levothyroxine",
            "conditions": "Hypothyroidism",
            "notes": "Sensitive skin",
            "fitzpatrick": "III",
        },
    )
    page = portal.get(URL)
    form = page.context["form"]
    sent = {}
    for name in form.fields:
        value = form[name].value()
        if value in (None, "", False):
            continue
        sent[name] = "on" if value is True else value
    assert portal.post(URL, sent).status_code == 302
    assert IntakeVersion.objects.count() == 1


def test_the_messages_are_in_turkish(portal, patient):
    with translation.override("tr"):
        page = portal.post(URL, {}, HTTP_ACCEPT_LANGUAGE="tr")
    assert "Nothing is answered" not in page.content.decode()
