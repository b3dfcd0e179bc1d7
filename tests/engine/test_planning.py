import datetime as dt

import pytest

from mesoclinic.engine.inputs import InputError
from mesoclinic.engine.knowledge import PROTOCOL_IDS
from mesoclinic.engine.planning import plan, windows
from tests.support.engine import DAY


def test_face_mesolift_default_series(k):
    p = plan(k, "face-mesolift", DAY)
    out = p.as_dict(k)
    assert [s["number"] for s in out["sessions"]] == [1, 2, 3, 4]
    assert out["sessions"][0] == {
        "number": 1,
        "earliest": "2026-12-01",
        "target": "2026-12-01",
        "latest": "2026-12-01",
    }
    assert out["sessions"][1] == {
        "number": 2,
        "earliest": "2026-12-15",
        "target": "2026-12-15",
        "latest": "2026-12-22",
    }
    assert out["maintenance"] == {
        "every_days_min": 60,
        "every_days_max": 120,
        "first_target": "2027-04-12",
    }
    assert out["sources"] and out["knowledge_version"] == k.version


def test_each_window_is_measured_from_the_previous_target():
    got = windows(DAY, 3, 14, 15, 21)
    assert got[2].earliest == DAY + dt.timedelta(days=15 + 14)
    assert got[2].latest == DAY + dt.timedelta(days=15 + 21)


def test_session_count_must_be_inside_the_protocol_range(k):
    assert len(plan(k, "face-mesolift", DAY, sessions=6).sessions) == 6
    for bad in (3, 7, 0, -1):
        with pytest.raises(InputError) as err:
            plan(k, "face-mesolift", DAY, sessions=bad)
        assert err.value.field == "sessions"


def test_a_lipolytic_cocktail_lengthens_the_minimum_interval(k):
    p = plan(k, "face-mesolift", DAY, ingredient_classes=frozenset({"lipolytic"}))
    assert p.interval_min == 28
    assert p.sessions[1].earliest == DAY + dt.timedelta(days=28)
    assert p.as_dict(k)["constraints"] == [
        {"ingredient_class": "lipolytic", "min_interval_days": 28}
    ]
    assert "kybella-pi" in p.sources
    # a class without a minimum interval changes nothing
    same = plan(k, "face-mesolift", DAY, ingredient_classes=frozenset({"nsaid"}))
    assert same.interval_min == plan(k, "face-mesolift", DAY).interval_min
    with pytest.raises(InputError):
        plan(k, "face-mesolift", DAY, ingredient_classes=frozenset({"magic"}))


def test_unknown_protocol(k):
    with pytest.raises(InputError) as err:
        plan(k, "botox", DAY)
    assert err.value.field == "protocol"


@pytest.mark.parametrize("protocol", PROTOCOL_IDS)
def test_every_protocol_plans_inside_its_windows(k, protocol):
    p = plan(k, protocol, DAY)
    series = k.protocols[protocol].series
    assert len(p.sessions) == series.sessions.default
    for prev, cur in zip(p.sessions, p.sessions[1:], strict=False):
        assert cur.earliest <= cur.target <= cur.latest
        assert (cur.earliest - prev.target).days == series.interval_days.min
    assert p.maintenance_first > p.sessions[-1].target
