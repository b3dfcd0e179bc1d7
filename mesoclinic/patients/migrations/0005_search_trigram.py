"""Patient search through trigram indexes on PostgreSQL (issue 18).

`access.search` filters `search_name` (the name already lower-cased and accent-free in
Python, engine.knowledge.normalize) and `phone_digits` with LIKE '%term%'. A B-tree index
cannot serve a pattern with a leading wildcard, so every search was a sequential scan; a
GIN trigram index (pg_trgm) serves it. The accent-folding stays in Python, identical on
both databases, so PostgreSQL's unaccent is not needed. On SQLite this migration does
nothing: the same LIKE runs on the same normalised column.
"""

from django.db import migrations

INDEXES = [
    ("patients_patient_search_trgm", "search_name"),
    ("patients_patient_phone_trgm", "phone_digits"),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON patients_patient USING gin ({column} gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("patients", "0004_patient_language")]
    operations = [migrations.RunPython(forwards, backwards)]
