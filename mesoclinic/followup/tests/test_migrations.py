"""Upgrading to the one outbox loses nothing and keeps no secret: an open alert whose
on-call e-mail never went out (the old task did not retry) and an aftercare e-mail whose
task was still waiting become outbox messages (followup 0003); the old invitation tasks,
whose arguments held the link, are deleted (portal 0002)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from mesoclinic.followup import actions
from mesoclinic.followup.models import AftercareSheet, ClinicAlert
from mesoclinic.outbox.models import Message
from tests.support import personas

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def _old_task(path: str, *args: str):
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.create(
        task_path=path,
        args_kwargs={"args": list(args), "kwargs": {}},
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
    )


def _migrate(targets):
    MigrationExecutor(connection).migrate(targets)


def test_unsent_follow_up_e_mails_become_outbox_messages_and_old_secrets_go(nora, patient, session):
    from django_tasks_db.models import DBTaskResult

    patient.email = "ayse@example.org"
    patient.save()
    sheet = AftercareSheet.objects.get(session=session)
    open_alert = ClinicAlert.objects.get(
        adverse_event=actions.report_side_effect(
            personas.actor(nora), session, symptoms=["pus"], severity="moderate", fever=True
        )
    )
    done_alert = ClinicAlert.objects.get(
        adverse_event=actions.report_side_effect(
            personas.actor(nora), session, symptoms=["blistering"], severity="mild"
        )
    )
    # (this test commits, so the outbox sent both alerts already: as if the first never was)
    ClinicAlert.objects.filter(pk=open_alert.pk).update(notified_at=None)
    done_alert.refresh_from_db()
    assert done_alert.notified_at is not None  # its e-mail went: no new message for it
    Message.objects.all().delete()  # as before the outbox: the old tasks held the work
    _old_task("mesoclinic.followup.tasks.send_aftercare", str(sheet.code))
    _old_task("mesoclinic.followup.tasks.send_on_call_alert", str(open_alert.code))
    link = "http://testserver/portal/invitation/old-secret-in-clear-text"
    _old_task("mesoclinic.portal.tasks.send_invitation", "5c0de", link)
    keep = _old_task("mesoclinic.photos.tasks.make_thumbnail", "x")

    try:
        _migrate([("followup", "0002_append_only"), ("portal", "0001_initial")])
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    made = {m.key: m for m in Message.objects.all()}
    assert set(made) == {f"aftercare:{sheet.code}", f"alert:{open_alert.code}"}
    assert made[f"alert:{open_alert.code}"].about == open_alert
    assert made[f"aftercare:{sheet.code}"].about == sheet
    assert all(m.status == "pending" and m.due_at <= timezone.now() for m in made.values())
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [keep.pk]
    assert "old-secret" not in repr(list(DBTaskResult.objects.values()))
