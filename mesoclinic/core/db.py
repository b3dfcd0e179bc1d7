"""Database helpers shared by migrations."""

from django.db import migrations


def append_only(table: str) -> migrations.RunPython:
    """Refuse UPDATE (and, on PostgreSQL, DELETE) of rows in `table` at the database level.

    SQLite keeps DELETE to the ORM guard: Django's test flush deletes rows there, while on
    PostgreSQL it truncates, which row triggers do not see.
    """

    def forward(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(
                "CREATE OR REPLACE FUNCTION mesoclinic_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
                "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$;",
                params=None,  # the % is PL/pgSQL's, not a query parameter
            )
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION mesoclinic_append_only();"
            )
        elif vendor == "sqlite":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;"
            )

    def backward(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only;")

    return migrations.RunPython(forward, backward)
