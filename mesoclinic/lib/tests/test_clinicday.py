"""The clinic's day, alone: zones, today, day and week bounds, local times around the
clocks' changes, and the date checks forms use. The server runs in UTC here; the clinics
are in Auckland and Los Angeles, so the server's date and the clinic's often differ."""

import datetime as dt
import logging
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mesoclinic.lib import clinicday

AKL = ZoneInfo("Pacific/Auckland")
LAX = ZoneInfo("America/Los_Angeles")
UTC = dt.UTC
# 20:30 UTC on Tuesday 1 December 2026 is 09:30 on Wednesday 2 December in Auckland (NZDT)
EVENING_UTC = dt.datetime(2026, 12, 1, 20, 30, tzinfo=UTC)


def clinic(zone: str | None, name: str = "Test clinic"):
    return SimpleNamespace(timezone=zone, name=name)


@pytest.fixture(autouse=True)
def _server_in_utc(settings):
    settings.TIME_ZONE = "UTC"


def test_the_zone_of_a_clinic_a_name_or_a_tzinfo():
    assert clinicday.zone(clinic("Pacific/Auckland")) == AKL
    assert clinicday.zone("America/Los_Angeles") == LAX
    assert clinicday.zone(AKL) is AKL
    with pytest.raises(TypeError):
        clinicday.zone(None)


@pytest.mark.parametrize("stored", ["Mars/Olympus_Mons", "", "../../etc/passwd", None, 3])
def test_a_stored_value_that_is_not_a_zone_falls_back_with_a_logged_warning(caplog, stored):
    clinicday._warned.clear()
    with caplog.at_level(logging.WARNING, logger="mesoclinic.lib.clinicday"):
        assert clinicday.zone(clinic(stored, "Clinic M")) == ZoneInfo("UTC")
        clinicday.zone(clinic(stored, "Clinic M"))  # warned once, not at every request
    warnings = [r for r in caplog.records if "not a time zone" in r.getMessage()]
    assert len(warnings) == 1
    assert "Clinic M" in warnings[0].getMessage() and "UTC" in warnings[0].getMessage()


def test_the_validator_names_the_bad_value():
    clinicday.validate_zone("Europe/Istanbul")
    with pytest.raises(ValidationError) as err:
        clinicday.validate_zone("Europe/Istambul")
    assert err.value.code == "invalid_time_zone"
    assert "“Europe/Istambul” is not a time zone" in err.value.messages[0]
    assert ("Pacific/Auckland", "Pacific/Auckland") in clinicday.zone_choices()
    assert ("America/Los_Angeles", "America/Los Angeles") in clinicday.zone_choices()


def test_today_is_the_clinics_date_not_the_servers(time_machine):
    time_machine.move_to(EVENING_UTC, tick=False)
    assert timezone.localdate() == dt.date(2026, 12, 1)  # the server's (UTC) date
    assert clinicday.today(clinic("Pacific/Auckland")) == dt.date(2026, 12, 2)
    assert clinicday.today("America/Los_Angeles") == dt.date(2026, 12, 1)
    assert clinicday.now() == EVENING_UTC
    assert clinicday.local_date(EVENING_UTC, AKL) == dt.date(2026, 12, 2)
    assert clinicday.local_text(EVENING_UTC, AKL) == "2026-12-02 09:30"
    assert clinicday.local_text(None, AKL) == ""
    with pytest.raises(ValueError, match="aware"):
        clinicday.local(dt.datetime(2026, 12, 1, 9, 30), AKL)


def test_without_a_clinic_local_uses_the_active_clock():
    with clinicday.activated(clinic("Pacific/Auckland")) as tz:
        assert tz == AKL and timezone.get_current_timezone() == AKL
        assert clinicday.local_text(EVENING_UTC) == "2026-12-02 09:30"
    assert timezone.get_current_timezone() == ZoneInfo("UTC")  # restored after the block
    assert clinicday.local_text(EVENING_UTC) == "2026-12-01 20:30"


def test_day_bounds_on_the_days_the_clocks_change():
    # Auckland: 2:00 -> 3:00 on Sunday 27 September 2026, 3:00 -> 2:00 on Sunday 5 April
    start, end = clinicday.day_bounds(dt.date(2026, 9, 27), AKL)
    assert start == dt.datetime(2026, 9, 26, 12, 0, tzinfo=UTC)  # midnight NZST (+12)
    assert end == dt.datetime(2026, 9, 27, 11, 0, tzinfo=UTC)  # midnight NZDT (+13)
    assert end - start == dt.timedelta(hours=23)
    start, end = clinicday.day_bounds(dt.date(2026, 4, 5), AKL)
    assert end - start == dt.timedelta(hours=25)
    assert clinicday.day_end(dt.date(2026, 4, 4), AKL) == start
    # Santiago moves its clocks at midnight: its 6 September 2026 begins at 01:00
    scl = ZoneInfo("America/Santiago")
    first = clinicday.day_start(dt.date(2026, 9, 6), scl)
    assert clinicday.local(first, scl).date() == dt.date(2026, 9, 6)
    assert clinicday.local(first - dt.timedelta(seconds=1), scl).date() == dt.date(2026, 9, 5)


def test_the_clinics_week_runs_monday_to_sunday():
    wednesday = dt.date(2026, 9, 30)
    assert clinicday.week_start(wednesday) == dt.date(2026, 9, 28)
    assert clinicday.week_days(wednesday)[-1] == dt.date(2026, 10, 4)
    start, end = clinicday.week_bounds(dt.date(2026, 9, 27), AKL)  # a Sunday, the DST day
    assert clinicday.local(start, AKL) == dt.datetime(2026, 9, 21, 0, 0, tzinfo=AKL)
    assert clinicday.local(end, AKL) == dt.datetime(2026, 9, 28, 0, 0, tzinfo=AKL)
    assert end - start == dt.timedelta(days=7, hours=-1)


def test_a_local_time_becomes_the_right_moment():
    moment = clinicday.aware(dt.date(2026, 9, 27), dt.time(10, 0), clinic("Pacific/Auckland"))
    assert moment == dt.datetime(2026, 9, 26, 21, 0, tzinfo=UTC)  # NZDT, +13
    moment = clinicday.aware(dt.date(2026, 3, 8), dt.time(10, 0), LAX)
    assert moment == dt.datetime(2026, 3, 8, 17, 0, tzinfo=UTC)  # PDT, -7


def test_a_time_the_clocks_skip_is_refused_with_a_clear_message():
    with pytest.raises(clinicday.NonexistentTime) as err:
        clinicday.aware(dt.date(2026, 9, 27), dt.time(2, 30), AKL)
    assert err.value.code == "nonexistent_time"
    message = err.value.messages[0]
    assert "02:30 on 27 September 2026 does not exist in Pacific/Auckland" in message
    assert "clocks go forward" in message
    assert isinstance(err.value, ValidationError)
    # chosen by the software (never a person): moved forward by the jump
    loose = clinicday.aware(dt.date(2026, 9, 27), dt.time(2, 30), AKL, strict=False)
    assert clinicday.local(loose, AKL).time() == dt.time(3, 30)


def test_a_time_the_clocks_show_twice_is_refused_with_a_clear_message():
    with pytest.raises(clinicday.AmbiguousTime) as err:
        clinicday.aware(dt.date(2026, 11, 1), dt.time(1, 30), LAX)
    assert err.value.code == "ambiguous_time"
    assert "01:30 on 1 November 2026 happens twice in America/Los_Angeles" in err.value.messages[0]
    loose = clinicday.aware(dt.date(2026, 11, 1), dt.time(1, 30), LAX, strict=False)
    assert loose == dt.datetime(2026, 11, 1, 8, 30, tzinfo=UTC)  # the first reading (PDT)


def test_a_form_value_is_read_on_the_clinics_clock():
    typed = dt.datetime(2026, 12, 2, 9, 30, tzinfo=UTC)  # parsed by a form in another zone
    assert clinicday.as_local(typed, AKL) == dt.datetime(2026, 12, 2, 9, 30, tzinfo=AKL)
    with pytest.raises(clinicday.NonexistentTime):
        clinicday.as_local(dt.datetime(2026, 3, 8, 2, 15), LAX)


def test_days_later_keeps_the_clock_reading_across_a_change():
    end = dt.datetime(2026, 9, 26, 10, 30, tzinfo=AKL)  # Saturday, NZST
    due = clinicday.days_later(end, 2, AKL)
    assert clinicday.local(due, AKL) == dt.datetime(2026, 9, 28, 10, 30, tzinfo=AKL)
    assert due - end == dt.timedelta(hours=47)  # the night the clocks went forward


def test_date_checks_take_today_from_the_clinic(time_machine):
    time_machine.move_to(EVENING_UTC, tick=False)
    akl = clinic("Pacific/Auckland")
    server_today, clinic_today = dt.date(2026, 12, 1), dt.date(2026, 12, 2)
    assert clinicday.not_past(clinic_today, akl) == clinic_today
    with pytest.raises(ValidationError) as err:
        clinicday.not_past(server_today, akl)  # already yesterday in Auckland
    assert err.value.messages == ["This date is in the past."]
    with pytest.raises(ValidationError) as err:
        clinicday.not_past(server_today, akl, "Choose today or a later day.")
    assert err.value.messages == ["Choose today or a later day."]
    assert clinicday.not_future(clinic_today, akl) == clinic_today
    with pytest.raises(ValidationError, match="in the future"):
        clinicday.not_future(dt.date(2026, 12, 3), akl)
    assert clinicday.not_future(dt.date(2026, 12, 3), akl, slack=1) == dt.date(2026, 12, 3)
    with pytest.raises(ValidationError) as err:
        clinicday.check_date(dt.date(2027, 1, 2), akl, back=0, ahead=30)
    assert err.value.messages == ["This date is too far ahead: the latest is 1 January 2027."]
    with pytest.raises(ValidationError) as err:
        clinicday.check_date(dt.date(2026, 11, 1), akl, back=7)
    assert err.value.messages == ["This date is too far back: the earliest is 25 November 2026."]
    # Los Angeles is still on 1 December: the same date is fine there
    assert clinicday.not_past(server_today, "America/Los_Angeles") == server_today
