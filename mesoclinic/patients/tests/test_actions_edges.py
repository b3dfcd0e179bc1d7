"""Demographic changes are audited with the fields that changed (and only when something
did); a portal intake is only ever the patient's own."""

import pytest
from django.core.exceptions import PermissionDenied

from mesoclinic.audit.models import AuditEvent
from mesoclinic.lib.refusals import Forbidden
from mesoclinic.patients.actions import record_intake, update_demographics
from mesoclinic.patients.models import IntakeSource
from tests.support import journeys, personas


def test_a_demographic_change_is_audited_with_the_changed_fields(frank, patient):
    act = personas.actor(frank)
    before = AuditEvent.objects.filter(summary="demographics").count()
    update_demographics(act, patient, {"given_name": patient.given_name})  # no change
    assert AuditEvent.objects.filter(summary="demographics").count() == before
    update_demographics(act, patient, {"given_name": "Ayşegül", "phone": "+905551112233"})
    patient.refresh_from_db()
    assert (patient.given_name, patient.phone) == ("Ayşegül", "+905551112233")
    event = AuditEvent.objects.get(summary="demographics")
    assert event.detail == {"changed": ["given_name", "phone"]}


def test_the_front_desk_cannot_record_an_intake(frank, patient):
    with pytest.raises(Forbidden):
        personas.make_intake(personas.actor(frank), patient)
    patient.refresh_from_db()
    assert patient.current_intake_id is None


def test_a_portal_intake_is_only_the_patients_own(nora, patient):
    other = personas.make_patient(personas.actor(nora), given="Zeynep", family="Kaya")
    user = journeys.portal_user(nora, patient)
    me = personas.actor(user)
    with pytest.raises(PermissionDenied):
        record_intake(me, other, answers={}, source=IntakeSource.PORTAL)
    with pytest.raises(PermissionDenied):  # staff are not patients
        record_intake(personas.actor(nora), patient, answers={}, source=IntakeSource.PORTAL)
    version = record_intake(me, patient, answers={"pregnant": False}, source=IntakeSource.PORTAL)
    assert version.number == 1 and not other.intakes.exists()
