"""The in-memory slot search, without a database."""

import datetime as dt
from zoneinfo import ZoneInfo

from mesoclinic.scheduling.slots import Finder, Resource, Timeline, epoch, merge_hours

ZONE = ZoneInfo("Europe/Istanbul")
DAY = dt.date(2026, 12, 1)  # Tuesday
WEEK = merge_hours((d, dt.time(9), dt.time(17)) for d in range(5))


def t(hhmm: str, day: dt.date = DAY) -> int:
    return epoch(dt.datetime.combine(day, dt.time.fromisoformat(hhmm), tzinfo=ZONE))


def test_a_timeline_merges_and_answers_with_a_binary_search():
    line = Timeline([(t("10:00"), t("11:00")), (t("10:30"), t("12:00")), (t("14:00"), t("15:00"))])
    assert len(line) == 2
    assert line.free(t("09:00"), t("10:00"))  # back to back is fine
    assert not line.free(t("11:30"), t("12:30"))
    assert line.free(t("12:00"), t("14:00"))
    line.add(t("12:00"), t("14:00"))  # touching both neighbours: one interval
    assert len(line) == 1 and not line.free(t("13:00"), t("13:15"))


def _finder(**kw):
    p = Resource(1, Timeline(), WEEK)
    r = Resource(10, Timeline())
    return Finder(zone=ZONE, opening=WEEK, practitioners=[p], rooms=[r], patient=Timeline(), **kw)


def test_the_search_prefers_the_target_day_and_time_then_the_nearest():
    f = _finder()
    f.practitioners[0].busy.add(t("10:00"), t("11:00"))
    slots = list(f.search(DAY, DAY + dt.timedelta(days=2), DAY, 60, dt.time(10), per_day=2))
    starts = [s.start for s in slots]
    assert starts[:2] == [t("09:00"), t("11:00")]  # equally near: the earlier first
    assert starts[2] == t("10:00", DAY + dt.timedelta(days=1))


def test_nothing_outside_opening_or_working_hours_or_in_the_past():
    f = _finder(not_before=t("16:00"))
    assert [s.start for s in f.search(DAY, DAY, DAY, 60, dt.time(9))] == [t("16:00")]
    weekend = DAY + dt.timedelta(days=4)  # Saturday: closed
    assert list(f.search(weekend, weekend, weekend, 15, dt.time(10))) == []
    assert f.reason(t("16:30"), t("17:30"), DAY, 1, 10) == "closed"


def test_taking_a_slot_holds_it_for_the_rest_of_the_series():
    f = _finder()
    first = next(f.search(DAY, DAY, DAY, 60, dt.time(10)))
    f.take(first)
    second = next(f.search(DAY, DAY, DAY, 60, dt.time(10)))
    assert second.start != first.start
