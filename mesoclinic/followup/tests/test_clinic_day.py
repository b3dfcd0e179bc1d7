"""Follow-up on the clinic's clock. Clinic A is in Auckland, the server in UTC. A session
ends on Saturday 26 September 2026 at 10:30 (NZST, +12); that night the clocks go forward
to NZDT (+13). Aftercare that lasts 24 hours ends 24 real hours later (Sunday 11:30 on
the clock), the day-2 check-in opens on Monday at 10:30, and everything a person reads,
on a page or in an e-mail, is on the clinic's clock. Saturday morning in Auckland is still
Friday on the server: a GAIS rating or a register filter for "Saturday" is the clinic's
Saturday."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from mesoclinic.consent.actions import sign_consent
from mesoclinic.consent.versions import current_template
from mesoclinic.followup import actions
from mesoclinic.followup.access import register
from mesoclinic.followup.export import register_csv
from mesoclinic.followup.models import AftercareSheet, CheckIn
from mesoclinic.screening.actions import screen_patient
from mesoclinic.treatments.actions import add_point, create_plan, sign_off, start_session
from tests.support import journeys, personas
from tests.support.products import make_lot, make_product
from tests.support.treatments import point

pytestmark = pytest.mark.django_db

AKL = ZoneInfo("Pacific/Auckland")
SATURDAY = dt.date(2026, 9, 26)
START = dt.datetime(2026, 9, 26, 10, 0, tzinfo=AKL)  # Friday 22:00 UTC
END = dt.datetime(2026, 9, 26, 10, 30, tzinfo=AKL)


@pytest.fixture
def auckland(clinic_a, settings, time_machine):
    settings.TIME_ZONE = "UTC"
    clinic_a.timezone = "Pacific/Auckland"
    clinic_a.save()
    time_machine.move_to(START, tick=False)
    return clinic_a


@pytest.fixture
def treated(auckland, nora, patient, time_machine, django_capture_on_commit_callbacks):
    """Screened for the clinic's Saturday, consented, treated 10:00-10:30, signed off."""
    act = personas.actor(nora)
    patient.email = "ayse@example.org"
    patient.save()
    personas.make_intake(act, patient)
    product = make_product(act)  # needs no patch test
    lot = make_lot(act, product, "AK-1")
    screening = screen_patient(
        act, patient, "face-mesolift", SATURDAY, [product.as_engine_product()]
    )
    sign_consent(
        act,
        patient,
        template=current_template("face-mesolift"),
        product_classes=[product.product_class],
        signer_name=patient.full_name,
        typed_signature=True,
    )
    plan = create_plan(
        act,
        patient,
        screening,
        start_date=SATURDAY,
        sessions=4,
        products=[product],
        concerns=["fine lines"],
        zones=["forehead"],
    )
    session = start_session(act, plan)  # the gate's "today" is the clinic's Saturday
    add_point(act, session, point(lot))
    time_machine.move_to(END, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        session = sign_off(act, session)
        actions.on_session_signed(act, session)
    session.refresh_from_db()
    return session


def test_aftercare_hours_are_real_hours_and_check_ins_keep_the_clock_hour(treated):
    sheet = AftercareSheet.objects.get(session=treated)
    assert sheet.items["session_end"] == "2026-09-26T10:30:00+12:00"
    water = next(i for i in sheet.items["items"] if i["id"] == "no-water")
    assert water["hours"] == 24
    assert water["until"] == "2026-09-27T11:30:00+13:00"  # 24 elapsed hours
    day2 = CheckIn.objects.get(session=treated, day=2)
    assert day2.due_at.astimezone(AKL) == dt.datetime(2026, 9, 28, 10, 30, tzinfo=AKL)
    body = next(m.body for m in mail.outbox if m.to == ["ayse@example.org"])
    assert "ended at 26 September 2026, 10:30" in body
    assert "allowed again from Sun 27 Sep, 11:30" in body


def test_the_portal_counts_down_on_the_clinics_clock(treated, nora, client):
    client.force_login(journeys.portal_user(nora, treated.patient, "ayse"))
    html = client.get(f"/portal/aftercare/{treated.code}").content.decode()
    assert 'data-countdown="2026-09-27T11:30:00+13:00"' in html
    assert "allowed again from Sun 27 Sep, 11:30" in html


def test_gais_today_is_the_clinics_day(treated, nora):
    act = personas.actor(nora)
    gais = actions.record_gais(act, treated, score=4)
    assert gais.rated_on == SATURDAY  # the server's date is still Friday
    assert actions.record_gais(act, treated, score=4, rated_on=SATURDAY).rated_on == SATURDAY
    with pytest.raises(Exception, match="in the future"):
        actions.record_gais(act, treated, score=4, rated_on=SATURDAY + dt.timedelta(days=1))


def test_the_register_filters_and_exports_the_clinics_days(treated, nora, time_machine):
    act = personas.actor(nora)
    time_machine.move_to(dt.datetime(2026, 9, 26, 11, 0, tzinfo=AKL), tick=False)
    event = actions.report_side_effect(act, treated, symptoms=["other"], severity="mild")
    saturday = register(act, {"since": SATURDAY, "until": SATURDAY}, audit=False)
    assert [e.pk for e in saturday.events] == [event.pk]
    friday = SATURDAY - dt.timedelta(days=1)  # the server's date at that moment
    assert register(act, {"since": friday, "until": friday}, audit=False).events == []
    csv = register_csv(saturday, act.clinic)
    assert "2026-09-26 11:00" in csv and "2026-09-25 23:00" not in csv
