"""The front desk may take a first medical history by phone (accounts/roles.py): saved as
taken by phone by them, audited; they never see a history on file nor clinical results,
and a refusal is the normal layout with a sentence."""

import pytest
from django.urls import reverse

from mesoclinic.accounts.roles import can
from mesoclinic.audit.models import AuditEvent
from mesoclinic.patients.models import IntakeSource, IntakeVersion
from tests.support import personas

pytestmark = pytest.mark.django_db

ANSWERS = {
    "fact_pregnant": "no",
    "fact_breastfeeding": "no",
    "fact_diabetes": "none",
    "fact_allergies": "latex",
    "prescribed_medicines": "Levothyroxine",
}


def test_the_role_decision_is_written_in_the_roles_table():
    assert can("front_desk", "take_phone_intake")
    assert not can("front_desk", "view_clinical") and not can("front_desk", "record_clinical")


def test_the_front_desk_takes_a_first_history_by_phone(login, frank, nora, patient):
    client = login(frank)
    chart = client.get(reverse("patients:chart", args=[patient.code]))
    assert "Take the medical history by phone" in chart.text
    url = reverse("patients:intake", args=[patient.code])
    form = client.get(url)
    assert form.status_code == 200 and "Taken by phone by" in form.text
    done = client.post(url, ANSWERS)
    assert done.status_code == 302 and done.url == reverse("scheduling:desk")
    version = IntakeVersion.objects.get()
    assert version.source == IntakeSource.PHONE and version.created_by == frank
    assert version.answers["allergies"] == ["latex"]
    assert AuditEvent.objects.filter(summary="intake version 1 taken by phone").exists()
    # what was entered is not shown back to the front desk
    chart = client.get(reverse("patients:chart", args=[patient.code]))
    assert "latex" not in chart.text and "Take the medical history by phone" not in chart.text
    # the nurse sees it marked as taken by phone by Frank
    chart = login(nora).get(reverse("patients:chart", args=[patient.code]))
    assert "taken by phone by" in chart.text and "latex" in chart.text


def test_a_history_on_file_is_refused_to_the_front_desk_with_a_sentence(
    login, frank, nora, patient
):
    personas.make_intake(personas.actor(nora), patient, allergies=["latex"])
    client = login(frank)
    url = reverse("patients:intake", args=[patient.code])
    for page in (client.get(url), client.post(url, ANSWERS)):
        assert page.status_code == 403
        assert "already has a medical history on file" in page.text
        assert "latex" not in page.text and "<nav" in page.text  # the normal layout
    assert IntakeVersion.objects.count() == 1


def test_other_roles_without_the_capability_are_refused(login, adam, patient):
    page = login(adam).get(reverse("patients:intake", args=[patient.code]))
    assert page.status_code == 403 and "does not allow this" in page.text
