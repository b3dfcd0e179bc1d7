"""Screening refusals at the boundary: too many products, a date too far ahead, a birth
date the engine cannot use, an override reason too long. Each names its field; nothing
is stored."""

import datetime as dt

import pytest

from mesoclinic.audit.models import AuditEvent
from mesoclinic.screening.actions import Refused, override_review
from mesoclinic.screening.models import ScreeningOverride, ScreeningRecord
from mesoclinic.screening.tests.conftest import TODAY
from tests.support import personas


def test_at_most_twenty_products_are_screened(nora, patient, screen_as):
    products = [{"name": f"P{i}", "ingredients": ["biotin"]} for i in range(21)]
    with pytest.raises(Refused) as err:
        screen_as(nora, patient, products=products)
    assert "at most 20" in err.value.message_dict["products"][0]
    assert not ScreeningRecord.objects.exists()


def test_a_date_more_than_a_year_ahead_is_refused(nora, patient, screen_as):
    with pytest.raises(Refused) as err:
        screen_as(nora, patient, planned_date=TODAY + dt.timedelta(days=400))
    assert "more than a year ahead" in err.value.message_dict["planned_date"][0]
    assert not ScreeningRecord.objects.exists()


def test_a_birth_date_after_the_planned_date_is_named(nora, screen_as):
    born_later = personas.make_patient(
        personas.actor(nora), given="Later", born=TODAY + dt.timedelta(days=30)
    )
    with pytest.raises(Refused) as err:
        screen_as(nora, born_later)
    assert "The engine refused the request" in err.value.message_dict["planned_date"][0]
    assert not ScreeningRecord.objects.exists()


def test_an_override_reason_has_an_upper_limit(nora, alice, patient, screen_as):
    personas.make_intake(personas.actor(nora), patient, pregnant=...)  # unanswered: review
    screening = screen_as(nora, patient)
    assert screening.decision == "review"
    with pytest.raises(Refused) as err:
        override_review(personas.actor(alice), screening, "x" * 4001)
    assert "under 4000" in err.value.message_dict["reason"][0]
    assert not ScreeningOverride.objects.exists()
    assert not AuditEvent.objects.filter(action="override").exists()
