"""Signed means signed, in the database too (issue 15): see mesoclinic.core.db.sealed."""

from django.db import migrations

from mesoclinic.core.db import sealed


class Migration(migrations.Migration):
    dependencies = [("followup", "0003_messages_to_outbox")]
    operations = [
        sealed(
            "followup_adverseevent",
            mutable=("ctcae_grade", "actions_taken", "outcome", "resolved_at", "updated_at", "photo"),
        ),
    ]
