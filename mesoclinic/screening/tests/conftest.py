import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.support import personas

TODAY = dt.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _frozen_day(time_machine):
    """Mid-morning in the clinic's time zone, so "today" is the same date everywhere."""
    time_machine.move_to(dt.datetime(2026, 12, 1, 9, 30, tzinfo=ZoneInfo("Europe/Istanbul")))


@pytest.fixture
def screen_as():
    """screen_as(user, patient, protocol=..., planned_date=..., products=...) via the action."""
    from mesoclinic.screening.actions import screen_patient

    def run(user, patient, protocol="face-mesolift", planned_date=TODAY, products=None, **kw):
        return screen_patient(personas.actor(user), patient, protocol, planned_date, products, **kw)

    return run


@pytest.fixture
def only_screening_panel(monkeypatch):
    """The chart with this app's panel alone: other apps' panels have their own tests."""
    from mesoclinic.patients import chart

    mine = [p for p in chart.PANELS if p.template == "screening/_panel.html"]
    assert len(mine) == 1  # registered once, by ScreeningConfig.ready()
    monkeypatch.setattr(chart, "PANELS", mine)
    monkeypatch.setattr(chart, "ALERTS", [])
