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


def sealed(
    table: str,
    when: str = "TRUE",
    mutable: tuple[str, ...] = (),
    also_refuse: str = "",
    deletable: bool = False,
) -> migrations.RunPython:
    """Refuse, at the database level, changes of a signed record in `table`: an UPDATE of a
    row for which `when` holds (SQL over OLD) that changes any column not in `mutable`, or
    for which `also_refuse` holds (SQL over OLD and NEW); and, on PostgreSQL, a DELETE of a
    row for which `when` holds. SQLite keeps deletes to the ORM guard, as in `append_only`.
    The columns are read from the table when the migration runs."""

    name = f"{table}_sealed"

    def forward(apps, schema_editor):
        connection = schema_editor.connection
        with connection.cursor() as cursor:
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
        fixed = [c for c in columns if c not in mutable]
        vendor = connection.vendor
        if vendor == "postgresql":
            changed = " OR ".join(f'NEW."{c}" IS DISTINCT FROM OLD."{c}"' for c in fixed)
            refuse = f"({changed})" + (f" OR ({also_refuse})" if also_refuse else "")
            schema_editor.execute(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN IF TG_OP = 'DELETE' THEN IF {'FALSE' if deletable else when} THEN "
                f"RAISE EXCEPTION 'a signed % row is never deleted', TG_TABLE_NAME; END IF; "
                f"RETURN OLD; END IF; "
                f"IF ({when}) AND ({refuse}) THEN "
                f"RAISE EXCEPTION 'a signed % row changes only by a new record', TG_TABLE_NAME; "
                f"END IF; RETURN NEW; END $$;",
                params=None,
            )
            schema_editor.execute(
                f"CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {name}();"
            )
        elif vendor == "sqlite":
            changed = " OR ".join(f'NEW."{c}" IS NOT OLD."{c}"' for c in fixed)
            refuse = f"({changed})" + (f" OR ({also_refuse})" if also_refuse else "")
            when_sqlite = "1" if when == "TRUE" else when
            schema_editor.execute(
                f"CREATE TRIGGER {name} BEFORE UPDATE ON {table} "
                f"WHEN ({when_sqlite}) AND ({refuse}) "
                f"BEGIN SELECT RAISE(ABORT, 'a signed {table} row changes only by a new record'); END;"
            )

    def backward(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table};")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}();")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name};")

    return migrations.RunPython(forward, backward)
