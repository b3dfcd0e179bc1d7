"""Screening records: immutable, valid for their date and intake only, cheap on the chart."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mesoclinic.engine.screening import DECISIONS
from mesoclinic.screening import access
from mesoclinic.screening.actions import Refused, facts_of, override_review
from mesoclinic.screening.forms import parse_products
from mesoclinic.screening.models import AppendOnly, Decision, ScreeningOverride, ScreeningRecord
from tests.support import personas
from tests.support.chart import whole_chart

from .conftest import TODAY

REASON = "Discussed with the patient: not pregnant, test negative today."


def test_decisions_match_the_engine():
    assert tuple(Decision.values) == DECISIONS


@pytest.fixture
def reviewed(nora, alice, patient, screen_as):
    personas.make_intake(personas.actor(nora), patient, pregnant=...)
    screening = screen_as(nora, patient)
    override_review(personas.actor(alice), screening, REASON)
    return ScreeningRecord.objects.get(pk=screening.pk)


def test_a_screening_is_never_changed_through_the_orm(reviewed):
    reviewed.decision = "eligible"
    with pytest.raises(AppendOnly):
        reviewed.save()
    with pytest.raises(AppendOnly):
        ScreeningRecord.objects.filter(pk=reviewed.pk).update(decision="eligible")
    with pytest.raises(AppendOnly):
        ScreeningRecord.objects.all().delete()
    with pytest.raises(AppendOnly):
        reviewed.delete()
    override = reviewed.override
    override.reason = "changed"
    with pytest.raises(AppendOnly):
        override.save()
    with pytest.raises(AppendOnly):
        ScreeningOverride.objects.update(reason="changed")


@pytest.mark.parametrize(
    ("table", "column"),
    [("screening_screeningrecord", "decision"), ("screening_screeningoverride", "reason")],
)
def test_the_database_refuses_updates(reviewed, table, column):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"UPDATE {table} SET {column} = 'eligible'")
    reviewed.refresh_from_db()
    assert reviewed.decision == "review" and reviewed.override.reason == REASON


def test_a_new_intake_version_makes_an_earlier_screening_not_current(
    login, nora, alice, patient, screen_as
):
    act = personas.actor(nora)
    personas.make_intake(act, patient, pregnant=...)
    screening = screen_as(nora, patient)
    patient.refresh_from_db()
    assert access.is_current(screening, patient, TODAY)
    assert access.current_screening(act, patient, "face-mesolift", TODAY) == screening
    personas.make_intake(act, patient)
    patient.refresh_from_db()
    assert access.currency(screening, patient, TODAY) == access.INTAKE_CHANGED
    assert access.current_screening(act, patient, "face-mesolift", TODAY) is None
    page = login(nora).get(reverse("screening:detail", args=[screening.code])).content.decode()
    assert "No longer current: the medical history changed" in page
    with pytest.raises(Refused, match="medical history changed"):
        override_review(personas.actor(alice), screening, REASON)
    newer = screen_as(nora, patient)
    assert access.current_screening(act, patient, "face-mesolift", TODAY) == newer
    assert newer.decision == "eligible"


def test_a_screening_dated_tomorrow_is_not_current_today(login, nora, patient, screen_as):
    act = personas.actor(nora)
    tomorrow = TODAY + dt.timedelta(days=1)
    screening = screen_as(nora, patient, planned_date=tomorrow)
    assert not access.is_current(screening, patient, TODAY)
    assert access.currency(screening, patient, TODAY) == access.FUTURE
    assert access.is_current(screening, patient, tomorrow)
    assert access.currency(screening, patient, tomorrow + dt.timedelta(days=1)) == access.PAST
    assert access.current_screening(act, patient, "face-mesolift", TODAY) is None
    assert access.current_screening(act, patient, "face-mesolift", tomorrow) == screening
    assert access.current_screening(act, patient, "hands", tomorrow) is None
    page = login(nora).get(reverse("screening:detail", args=[screening.code])).content.decode()
    assert "Not current yet: valid on 2 December 2026 only" in page


def test_a_screening_whose_date_passed_cannot_be_overridden(
    nora, alice, patient, screen_as, time_machine
):
    screening = screen_as(nora, patient)
    time_machine.shift(dt.timedelta(days=1))
    with pytest.raises(Refused, match="date of this screening has passed"):
        override_review(personas.actor(alice), screening, REASON)


def test_the_action_refuses_what_the_form_would(nora, alice, patient, screen_as):
    with pytest.raises(Refused, match="protocol") as exc:
        screen_as(nora, patient, protocol="botox")
    assert exc.value.message_dict.keys() == {"protocol"}
    with pytest.raises(Refused, match="has passed"):
        screen_as(nora, patient, planned_date=TODAY - dt.timedelta(days=1))
    with pytest.raises(Refused, match="valid date"):
        screen_as(nora, patient, planned_date="2026-12-01")
    with pytest.raises(Refused, match="products are not valid"):
        screen_as(nora, patient, products=[{"name": "A", "ingredients": "caffeine"}])
    with pytest.raises(Refused, match="name and its ingredients"):
        screen_as(nora, patient, products=[{"name": " ", "ingredients": ["caffeine"]}])
    with pytest.raises(Exception, match="record_clinical"):
        screen_as(personas.make_user("fay", patient.clinic, "front_desk"), patient)
    assert not ScreeningRecord.objects.exists()
    screening = screen_as(nora, patient)
    with pytest.raises(Refused, match="at least 10"):
        override_review(personas.actor(alice), screening, "  too short ")
    assert not ScreeningOverride.objects.exists()


def test_malformed_intake_answers_count_as_unanswered(nora, patient):
    from mesoclinic.engine.knowledge import load

    version = personas.make_intake(
        personas.actor(nora),
        patient,
        pregnant="no",
        diabetes="sometimes",
        last_aspirin_or_nsaid="last week",
        allergies="latex",
        isotretinoin_last_dose="2026-01-15",
        unknown_fact=True,
    )
    facts = facts_of(load(), patient, version)
    for fid in ("pregnant", "diabetes", "last_aspirin_or_nsaid", "allergies", "unknown_fact"):
        assert fid not in facts
    assert facts["isotretinoin_last_dose"] == dt.date(2026, 1, 15)
    assert facts["breastfeeding"] is False and facts["birth_date"] == patient.birth_date


def test_parse_products():
    assert parse_products(" A : x , y ;  oil \n\n B: z") == [
        {"name": "A", "ingredients": ["x", "y"], "vehicle": "oil"},
        {"name": "B", "ingredients": ["z"]},
    ]
    assert parse_products("") == []
    with pytest.raises(Exception, match="Line 1") as exc:
        parse_products("A\nB: 5% caffeine\nC: x; oil; water")
    assert len(exc.value.messages) == 2 and "Line 3" in exc.value.messages[1]


@pytest.mark.usefixtures("only_screening_panel")
def test_the_chart_shows_the_screenings(login, nora, alice, patient, reviewed, screen_as):
    screen_as(nora, patient, protocol="hands", planned_date=TODAY + dt.timedelta(days=3))
    body = whole_chart(login(nora), patient)
    assert "Screenings" in body and "Hands (hand rejuvenation)" in body
    assert "Current: valid today" in body and "Valid on its date only" in body
    assert "review overridden" in body and "Screen again" in body
    assert "Screened for Face mesolift" in body and "Review of the Face mesolift" in body
    assert reverse("screening:detail", args=[reviewed.code]) in body


@pytest.mark.usefixtures("only_screening_panel")
def test_the_chart_has_a_fixed_number_of_queries(login, nora, alice, patient, screen_as):
    personas.make_intake(personas.actor(nora), patient, pregnant=...)
    client = login(alice)
    url = reverse("patients:chart", args=[patient.code]) + "?full=1"  # with the timeline
    counts = []
    for total in (1, 10):
        while ScreeningRecord.objects.count() < total:
            screening = screen_as(nora, patient)
            if ScreeningRecord.objects.count() % 2:
                override_review(personas.actor(alice), screening, REASON)
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(url)
        assert page.status_code == 200
        assert page.content.decode().count('class="tl-screening flag') == total
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 15
