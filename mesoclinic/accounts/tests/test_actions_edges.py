"""Clinic settings: an unknown setting is refused before anything is read; a save that
changes nothing writes no audit entry; a bad zone is refused and nothing is saved."""

import pytest
from django.core.exceptions import ValidationError

from mesoclinic.accounts.actions import update_clinic
from mesoclinic.accounts.models import Clinic
from mesoclinic.audit.models import AuditEvent
from mesoclinic.lib.refusals import Forbidden
from tests.support import personas


def test_clinic_settings_refuse_the_unknown_and_audit_only_changes(adam, nora, clinic_a):
    act = personas.actor(adam)
    with pytest.raises(TypeError, match="not a clinic setting: colour"):
        update_clinic(act, colour="blue")
    with pytest.raises(Forbidden):
        update_clinic(personas.actor(nora), name="Nora's clinic")
    before = AuditEvent.objects.count()
    update_clinic(act, name=clinic_a.name)  # unchanged
    assert AuditEvent.objects.count() == before
    with pytest.raises(ValidationError):
        update_clinic(act, timezone="Mars/Olympus")
    assert Clinic.objects.get(pk=clinic_a.pk).timezone == clinic_a.timezone
    update_clinic(act, name="Clinic A Nişantaşı")
    assert Clinic.objects.get(pk=clinic_a.pk).name == "Clinic A Nişantaşı"
    assert AuditEvent.objects.count() == before + 1
