import pytest
from django.core.management import CommandError, call_command

from mesoclinic.accounts.models import Clinic, User
from mesoclinic.patients.models import Patient


def test_demo_creates_staff_of_every_role_and_patients_once(db, settings, capsys):
    settings.DEBUG = True
    call_command("demo", patients=12)
    out = capsys.readouterr().out
    for username in ("dr.demir", "nurse.kaya", "desk.aydin", "admin.sahin"):
        assert username in out
        assert User.objects.get(username=username).membership.is_active
    assert Patient.objects.count() == 12
    call_command("demo", patients=12)  # idempotent
    assert Patient.objects.count() == 12
    assert Clinic.objects.count() == 2


def test_demo_is_refused_in_production(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refused with DEBUG off"):
        call_command("demo")
