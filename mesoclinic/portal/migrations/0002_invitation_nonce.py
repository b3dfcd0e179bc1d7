"""Invitations get a nonce (their secret is derived, never stored; see portal/tokens.py).

Before this, the invitation task carried the link in its arguments, so django-tasks-db's
rows of `send_invitation` hold secrets in clear text: they are deleted. An invitation
whose e-mail was still waiting is not sent (its secret cannot be derived); its link, shown
once to the staff, still works until it expires, or the staff invite again."""

from django.db import migrations, models

OLD_TASK = "mesoclinic.portal.tasks.send_invitation"
TASKS_TABLE = "django_tasks_database_dbtaskresult"  # django-tasks-db's table


def forget_task_secrets(apps, schema_editor):
    connection = schema_editor.connection
    if TASKS_TABLE not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TASKS_TABLE} WHERE task_path = %s", [OLD_TASK])


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="nonce",
            field=models.CharField(blank=True, max_length=32),
        ),
        migrations.RunPython(forget_task_secrets, migrations.RunPython.noop),
    ]
