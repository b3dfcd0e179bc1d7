"""No double booking, enforced by PostgreSQL: exclusion constraints over the time range of
every *booked* appointment, per practitioner, per room and per patient. The range is an
expression over the start and end columns (half-open, '[)', so back-to-back sessions are
allowed), so the model needs no extra column and the same models migrate on SQLite, where
the booking transaction serialises the check instead (see scheduling/actions.py)."""

from django.db import migrations

CONSTRAINTS = [
    ("appt_no_overlap_practitioner", "practitioner_id"),
    ("appt_no_overlap_room", "room_id"),
    ("appt_no_overlap_patient", "patient_id"),
]
TABLE = "scheduling_appointment"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for name, column in CONSTRAINTS:
        schema_editor.execute(
            f"ALTER TABLE {TABLE} ADD CONSTRAINT {name} EXCLUDE USING gist "
            f"({column} WITH =, tstzrange(start, \"end\", '[)') WITH &&) "
            "WHERE (status = 'booked')"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _column in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE {TABLE} DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
