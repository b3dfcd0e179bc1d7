import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

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


def test_demo_shows_every_stage_of_the_patient_journey(db, settings, capsys):
    from mesoclinic.accounts.actor import Actor
    from mesoclinic.consent.models import Consent
    from mesoclinic.patchtests.models import PatchTest
    from mesoclinic.products.access import low_stock
    from mesoclinic.products.models import Lot
    from mesoclinic.screening.models import ScreeningOverride, ScreeningRecord
    from mesoclinic.treatments.access import exposure
    from mesoclinic.treatments.models import Amendment, TreatmentPlan, TreatmentSession

    settings.DEBUG = True
    call_command("demo", patients=25)
    out = capsys.readouterr().out
    assert "screenings" in out and "Recalled lot" in out
    clinic = Clinic.objects.get(name="Demo Mesotherapy Clinic")

    decisions = set(ScreeningRecord.objects.values_list("decision", flat=True))
    assert decisions == {"eligible", "review", "defer", "contraindicated"}
    assert ScreeningRecord.objects.values("protocol").distinct().count() >= 3
    assert ScreeningOverride.objects.filter(physician__username="dr.demir").exists()
    assert ScreeningRecord.objects.filter(decision="review", override__isnull=True).exists()
    stale = [
        s
        for s in ScreeningRecord.objects.select_related("patient")
        if s.intake_id != s.patient.current_intake_id
    ]
    assert stale  # made before a newer medical history

    results = set(PatchTest.objects.values_list("result", flat=True))
    assert results == {"negative", "positive", "pending"}
    assert Consent.objects.exists()

    assert TreatmentPlan.objects.filter(status="active").exists()
    assert TreatmentPlan.objects.filter(status="completed").exists()
    assert TreatmentSession.objects.filter(status="signed", points__isnull=False).exists()
    assert TreatmentSession.objects.filter(status="open").count() == 1
    assert TreatmentSession.objects.filter(signed_by__username="dr.demir").exists()
    assert Amendment.objects.exists()

    physician = Actor(User.objects.get(username="dr.demir"), clinic, "physician")
    recalled = Lot.objects.get(recalled_at__isnull=False)
    assert {row["patient"].pk for row in exposure(physician, recalled)}
    assert low_stock(physician)
    assert Lot.objects.filter(expiry__lt=timezone.localdate()).exists()  # an expired lot


def test_demo_prints_the_address_it_was_given(db, settings, capsys):
    """`make run PORT=8123` passes its address: the sign-in link printed is the real one."""
    settings.DEBUG = True
    call_command("demo", patients=0, url="http://127.0.0.1:8123/")
    assert "Sign in at http://127.0.0.1:8123/accounts/login" in capsys.readouterr().out


def test_demo_has_a_past_and_a_full_week_ahead(db, settings, capsys):
    """Sessions signed on earlier dates, with their aftercare and answered check-ins, recorded
    as of those dates through the real actions; this week's calendar booked."""
    import datetime as dt

    from mesoclinic.followup.models import AftercareSheet, CheckIn
    from mesoclinic.scheduling.models import Appointment
    from mesoclinic.treatments.models import TreatmentSession

    settings.DEBUG = True
    call_command("demo", patients=25)
    out = capsys.readouterr().out
    print(out)
    today = timezone.localdate()
    past = TreatmentSession.objects.filter(
        status="signed", started_at__date__lt=today - dt.timedelta(days=7)
    )
    assert past.count() >= 4
    for session in past:
        assert session.signed_at.date() == session.started_at.date()  # signed that day
        assert AftercareSheet.objects.filter(session=session).exists()
        assert session.points.exists()
    second = past.filter(number=2).first()
    assert second and (second.started_at - second.plan.sessions.get(number=1).started_at).days >= 14
    assert CheckIn.objects.filter(session__in=past, answered_at__isnull=False).exists()
    week = Appointment.objects.filter(
        start__date__gt=today, start__date__lte=today + dt.timedelta(days=7)
    )
    assert week.count() >= 10
    assert week.filter(plan__isnull=False, session_number=3).exists()  # a series continues
    assert "earlier dates" in out and "Booked" in out
