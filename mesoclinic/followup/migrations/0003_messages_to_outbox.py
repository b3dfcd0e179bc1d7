"""The aftercare e-mail and the on-call alert now go through the outbox. What the old
tasks had not sent yet becomes outbox messages, so nothing is lost in the upgrade: every
open alert whose on-call e-mail never went out (including those lost to a mail server
outage, which the old task did not retry), and every aftercare e-mail whose task was still
waiting in django-tasks-db. Those waiting task rows are deleted (their code is gone)."""

import json

from django.db import migrations
from django.utils import timezone

AFTERCARE_TASK = "mesoclinic.followup.tasks.send_aftercare"
ALERT_TASK = "mesoclinic.followup.tasks.send_on_call_alert"
TASKS_TABLE = "django_tasks_database_dbtaskresult"  # django-tasks-db's table


def _waiting_aftercare(connection) -> list[str]:
    """The sheet codes of aftercare tasks not run yet (and forget those task rows)."""
    if TASKS_TABLE not in connection.introspection.table_names():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT args_kwargs FROM {TASKS_TABLE} WHERE task_path = %s AND status = %s",
            [AFTERCARE_TASK, "READY"],
        )
        codes = []
        for (raw,) in cursor.fetchall():
            data = json.loads(raw) if isinstance(raw, str | bytes) else raw
            codes += [str(a) for a in (data or {}).get("args", [])[:1]]
        cursor.execute(
            f"DELETE FROM {TASKS_TABLE} WHERE task_path IN (%s, %s) AND status = %s",
            [AFTERCARE_TASK, ALERT_TASK, "READY"],
        )
    return codes


def forward(apps, schema_editor):
    alias = schema_editor.connection.alias
    Message = apps.get_model("outbox", "Message")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Sheet = apps.get_model("followup", "AftercareSheet")
    Alert = apps.get_model("followup", "ClinicAlert")
    now = timezone.now()
    new = []
    codes = _waiting_aftercare(schema_editor.connection)
    if codes:
        sheet_type = ContentType.objects.using(alias).get_or_create(
            app_label="followup", model="aftercaresheet"
        )[0]
        for sheet in (
            Sheet.objects.using(alias).filter(code__in=codes).select_related("patient")
        ):
            if sheet.patient.email:
                new.append(
                    Message(
                        key=f"aftercare:{sheet.code}",
                        kind="aftercare",
                        clinic_id=sheet.patient.clinic_id,
                        patient_id=sheet.patient_id,
                        channel="email",
                        about_type=sheet_type,
                        about_id=sheet.pk,
                        due_at=now,
                    )
                )
    open_alerts = Alert.objects.using(alias).filter(
        notified_at__isnull=True, acknowledged_at__isnull=True
    )
    if open_alerts.exists():
        alert_type = ContentType.objects.using(alias).get_or_create(
            app_label="followup", model="clinicalert"
        )[0]
        for alert in open_alerts.select_related("adverse_event"):
            new.append(
                Message(
                    key=f"alert:{alert.code}",
                    kind="on_call_alert",
                    clinic_id=alert.clinic_id,
                    patient_id=alert.adverse_event.patient_id,
                    channel="email",
                    about_type=alert_type,
                    about_id=alert.pk,
                    due_at=now,
                )
            )
    Message.objects.using(alias).bulk_create(new, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("followup", "0002_append_only"),
        ("outbox", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
