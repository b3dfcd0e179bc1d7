"""Scheduling's messages moved into the one outbox (migrations scheduling 0003 and 0004):
every row keeps its code, key, state, attempts, text, times and what it is about, both
ways. Real rows, made by booking, are migrated back to the old table and forward again."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from mesoclinic.outbox.models import Message, MessageStatus
from mesoclinic.scheduling import actions, reminders
from mesoclinic.scheduling.tests.conftest import TODAY, at
from tests.support import personas

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

BEFORE = [("scheduling", "0002_no_double_booking")]
FIELDS = [
    "code",
    "key",
    "kind",
    "channel",
    "params",
    "due_at",
    "status",
    "attempts",
    "claim_token",
    "sent_at",
    "to",
    "subject",
    "body",
    "error",
    "created_at",
    "clinic_id",
    "patient_id",
    "about_type_id",
    "about_id",
]


def _migrate(targets, state=()):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state([*targets, *state]).apps


def test_scheduling_messages_move_to_the_outbox_and_back_with_their_state(
    clinic_setup, make_plan, reachable_patient, frank
):
    plan = make_plan(reachable_patient)
    a = actions.book_appointment(
        personas.actor(frank),
        reachable_patient,
        protocol="face-mesolift",
        start=at(TODAY + dt.timedelta(days=20), "10:00"),
        practitioner=clinic_setup["nora"],
        room=clinic_setup["room2"],
    )
    reminders.recall(plan, TODAY, reachable_patient, reachable_patient.clinic)
    sent, failed, *_ = Message.objects.filter(appointment=a).order_by("pk")
    Message.objects.filter(pk=sent.pk).update(
        status=MessageStatus.SENT, attempts=1, to="elif@example.org", subject="S", body="B"
    )
    Message.objects.filter(pk=failed.pk).update(
        status=MessageStatus.FAILED, attempts=5, error="provider down"
    )
    Message.objects.update(created_at=dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC))
    before = {m["code"]: m for m in Message.objects.values(*FIELDS)}
    assert len(before) == 8  # 3 before the appointment and the recall, by e-mail and SMS

    try:
        old_apps = _migrate(
            BEFORE, [("outbox", "0001_initial")]
        )  # back: the rows return to scheduling's table
        Old = old_apps.get_model("scheduling", "Message")
        back = {m.code: m for m in Old.objects.all()}
        assert set(back) == set(before)
        assert back[sent.code].status == "sent" and back[sent.code].body == "B"
        assert back[failed.code].attempts == 5 and back[failed.code].error == "provider down"
        assert back[sent.code].appointment_id == a.pk
        recall = next(m for m in back.values() if m.kind == "recall")
        assert recall.plan_id == plan.pk and recall.appointment_id is None
        assert {m.created_at for m in back.values()} == {
            dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)
        }
        assert not old_apps.get_model("outbox", "Message").objects.exists()
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # and forward

    after = {m["code"]: m for m in Message.objects.values(*FIELDS)}
    assert after == before
    assert Message.objects.filter(appointment=a).count() == 6
    failed = Message.objects.get(code=failed.code)
    assert failed.first_attempt_at is not None  # its retry window restarts from its last claim
