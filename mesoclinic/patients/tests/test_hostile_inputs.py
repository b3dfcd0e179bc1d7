"""Issue 15, inputs: a NUL byte in the patient search, line breaks in a patient's name."""

import pytest
from django.urls import reverse

from mesoclinic.patients.models import Patient


@pytest.mark.parametrize("query", ["Ay\x00şe", "\x00", "a\x1bb"])
def test_a_control_character_in_the_search_is_a_clear_message(login, nora, patient, query):
    response = login(nora).get(reverse("patients:list"), {"q": query})
    assert response.status_code == 200
    assert "control character" in response.content.decode()


@pytest.mark.parametrize("name", ["Ayşe\nBcc: x@example.org", "Ay\rşe", "Ay\x00şe"])
def test_line_breaks_and_controls_in_a_patients_name_are_refused(login, nora, name):
    before = Patient.objects.count()
    response = login(nora).post(
        reverse("patients:register"),
        {
            "given_name": name,
            "family_name": "Yılmaz",
            "birth_date": "1990-05-01",
            "sex": "female",
            "phone": "+90 532 000 00 00",
            "language": "tr",
        },
    )
    assert response.status_code == 400  # the form again, with the field's error
    assert Patient.objects.count() == before
    assert "remove the line breaks" in response.content.decode() or "control character" in (
        response.content.decode()
    )


def test_an_email_subject_is_always_one_line():
    from mesoclinic.outbox.kinds import Letter

    letter = Letter("Urgent: Ayşe\nBcc: x@example.org\r\n", "body")
    assert "\n" not in letter.subject and "\r" not in letter.subject
    assert letter.subject == "Urgent: Ayşe Bcc: x@example.org"


def test_the_actions_refuse_a_name_with_a_line_break_whatever_the_way_in(nora, patient):
    from mesoclinic.lib.refusals import Refused
    from mesoclinic.patients import actions
    from tests.support import personas

    with pytest.raises(Refused):
        actions.update_demographics(personas.actor(nora), patient, {"family_name": "Yıl\nmaz"})
    patient.refresh_from_db()
    assert "\n" not in patient.family_name
