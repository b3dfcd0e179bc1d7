import datetime as dt

import pytest

from mesoclinic.engine.aftercare import aftercare, duration, pre_treatment
from mesoclinic.engine.inputs import InputError, parse_aware_datetime
from mesoclinic.engine.knowledge import PROTOCOL_IDS

END = dt.datetime.fromisoformat("2026-12-01T10:30:00+01:00")


def test_contract_example_no_water_for_24_hours(k):
    out = aftercare(k, "face-mesolift", END)
    water = next(i for i in out["items"] if i["id"] == "no-water")
    assert water["until"] == "2026-12-02T10:30:00+01:00"
    assert water["text"] == "Keep water off the treated area for 24 hours."
    assert water["sources"]
    assert out["session_end"] == "2026-12-01T10:30:00+01:00"


def test_turkish_text_and_units(k):
    out = aftercare(k, "face-mesolift", END, lang="tr")
    sun = next(i for i in out["items"] if i["id"] == "no-sun")
    assert "2 hafta" in sun["text"]


def test_expected_reactions_and_red_flags_are_part_of_aftercare(k):
    out = aftercare(k, "face-mesolift", END)
    bruise = next(r for r in out["expected_reactions"] if r["symptom"] == "bruising")
    assert bruise["until"] == "2026-12-15T10:30:00+01:00"
    assert out["red_flags"] and out["checkin_days"][0] == 2


def test_durations_read_naturally(k):
    assert duration(k, 1, "en") == "1 hour"
    assert duration(k, 24, "en") == "24 hours"
    assert duration(k, 72, "en") == "3 days"
    assert duration(k, 168, "en") == "1 week"
    assert duration(k, 336, "tr") == "2 hafta"
    assert duration(k, 6, "xx") == "6 hours"


def test_pre_treatment_starts_before_the_session(k):
    start = dt.datetime.fromisoformat("2026-12-15T09:00:00+03:00")
    out = pre_treatment(k, "face-mesolift", start)
    nsaid = next(i for i in out["items"] if i["id"] == "pre-nsaid")
    assert nsaid["from"] == "2026-12-01T09:00:00+03:00"
    assert "ask your prescribing doctor" in nsaid["text"]
    day = next(i for i in out["items"] if i["id"] == "pre-makeup-perfume")
    assert day["from"] is None


def test_session_end_must_carry_an_offset():
    with pytest.raises(InputError) as err:
        parse_aware_datetime("2026-12-01T10:30:00", "--session-end")
    assert err.value.field == "--session-end"
    with pytest.raises(InputError):
        parse_aware_datetime("tomorrow", "--session-end")


@pytest.mark.parametrize("protocol", PROTOCOL_IDS)
def test_every_protocol_has_timed_aftercare(k, protocol):
    out = aftercare(k, protocol, END)
    assert out["items"]
    for item in out["items"]:
        assert dt.datetime.fromisoformat(item["until"]) > END
        assert item["sources"] and "{" not in item["text"]


def test_hours_are_elapsed_hours_across_a_daylight_saving_change(k):
    # Auckland moves its clocks from 02:00 to 03:00 on Sunday 27 September 2026: 24 hours
    # after Saturday 10:30 is Sunday 11:30 on the clock (wall-clock arithmetic said 10:30,
    # one hour short). The answer stays on the clinic's clock, with that day's offset.
    from zoneinfo import ZoneInfo

    end = dt.datetime(2026, 9, 26, 10, 30, tzinfo=ZoneInfo("Pacific/Auckland"))
    out = aftercare(k, "face-mesolift", end)
    water = next(i for i in out["items"] if i["id"] == "no-water")
    assert water["until"] == "2026-09-27T11:30:00+13:00"
    until = dt.datetime.fromisoformat(water["until"])
    assert until - end.astimezone(dt.UTC) == dt.timedelta(hours=24)
    start = dt.datetime(2026, 9, 27, 11, 30, tzinfo=ZoneInfo("Pacific/Auckland"))
    before = pre_treatment(k, "face-mesolift", start)
    nsaid = next(i for i in before["items"] if i["id"] == "pre-nsaid")
    assert start - dt.datetime.fromisoformat(nsaid["from"]) == dt.timedelta(hours=336)
