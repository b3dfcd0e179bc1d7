"""Database helpers shared by migrations, and the one maintenance path past the guards.

Every sealed or append-only table has a DELETE guard (`delete_guard`) on SQLite and on
PostgreSQL: a raw `DELETE` of a signed or appended row is refused by the database, not only
by the ORM. Two deliberate paths remain, each named by a `maintenance` mode:

- "truncate", SQLite only: the test database's flush. Django empties a SQLite database with
  `DELETE FROM` row by row (PostgreSQL uses `TRUNCATE`, which row triggers do not see and
  which the application's role may not run: deploy/postgres-roles.sql). The test fixtures
  (conftest.py) run Django's flush inside `maintenance("truncate")`; nothing else does.
- "erasure", both databases: the erasure of a patient (mesoclinic/erasure) removes the
  photo records of tables declared erasable, nothing else.

On SQLite the mode is a flag of the process's connection, read by the trigger through an SQL
function, `mesoclinic_maintenance()`, that this module registers on every connection Django
opens; a connection that lacks it (the sqlite3 shell, another program) cannot delete from a
guarded table at all. On PostgreSQL the mode is a transaction-local setting
(`mesoclinic.maintenance`) that the triggers honour for "erasure" only.
"""

import contextlib
import weakref

from django.db import migrations, transaction

MAINTENANCE_MODES = ("truncate", "erasure")
SQLITE_FUNCTION = "mesoclinic_maintenance"
PG_SETTING = "mesoclinic.maintenance"


def append_only(table: str) -> migrations.RunPython:
    """Refuse UPDATE (and, on PostgreSQL, DELETE) of rows in `table` at the database level.

    On SQLite, DELETE is refused by `delete_guard` instead, which lets the test flush's
    maintenance mode through (Django's flush deletes rows there; on PostgreSQL it truncates,
    which row triggers do not see).
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

    return migrations.RunPython(forward, _drop_trigger(name, table))


def delete_guard(table: str, when: str = "TRUE", erasable: bool = False) -> migrations.RunPython:
    """Refuse, at the database level, a DELETE of a row of `table` for which `when` holds
    (SQL over OLD, valid on both databases), unless the connection is in a maintenance mode
    that lets it through: "truncate" on SQLite (the test flush), and "erasure" on both
    databases when `erasable`. See the module's text."""

    name = f"{table}_delete_guard"
    message = f"a signed or appended {table} row is never deleted"

    def forward(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            allowed = ("erasure",) if erasable else ()
            let_through = (
                f"coalesce(current_setting('{PG_SETTING}', true), '') IN "
                f"({', '.join(repr(m) for m in allowed)})"
                if allowed
                else "FALSE"
            )
            schema_editor.execute(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN IF ({when}) AND NOT ({let_through}) THEN "
                f"RAISE EXCEPTION '{message}'; END IF; RETURN OLD; END $$;",
                params=None,
            )
            schema_editor.execute(
                f"CREATE TRIGGER {name} BEFORE DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {name}();"
            )
        elif vendor == "sqlite":
            allowed = ("truncate", "erasure") if erasable else ("truncate",)
            when_sqlite = "1" if when == "TRUE" else when
            schema_editor.execute(
                f"CREATE TRIGGER {name} BEFORE DELETE ON {table} "
                f"WHEN ({when_sqlite}) AND {SQLITE_FUNCTION}() NOT IN "
                f"({', '.join(repr(m) for m in allowed)}) "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END;"
            )

    return migrations.RunPython(forward, _drop_trigger(name, table))


def _drop_trigger(name: str, table: str):
    """The backward step of a guard: drop trigger `name` (and its function on PostgreSQL)."""

    def backward(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table};")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}();")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name};")

    return backward


def register_sqlite_function(sender, connection, **kwargs):
    """Give every SQLite connection Django opens the function its DELETE guards read."""
    if connection.vendor != "sqlite":
        return
    ref = weakref.ref(connection)

    def mode() -> str:
        wrapper = ref()
        return getattr(wrapper, "mesoclinic_maintenance", "") if wrapper is not None else ""

    connection.connection.create_function(SQLITE_FUNCTION, 0, mode)


@contextlib.contextmanager
def maintenance(mode: str, using: str = "default"):
    """Run the block in a maintenance mode (see the module's text), inside a transaction.

    Only conftest.py's flush uses "truncate" and only the erasure uses "erasure"
    (tests/test_sealed_deletes.py checks both). The mode ends with the block, and on
    PostgreSQL with the transaction at the latest."""
    if mode not in MAINTENANCE_MODES:
        raise ValueError(f"no maintenance mode {mode!r}")
    with transaction.atomic(using=using):
        conn = transaction.get_connection(using)
        conn.ensure_connection()
        if conn.vendor == "postgresql":
            with conn.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, %s, true)", [PG_SETTING, mode])
            yield  # on an exception the transaction (or savepoint) rolls the setting back
            with conn.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, '', true)", [PG_SETTING])
        else:
            previous = getattr(conn, "mesoclinic_maintenance", "")
            conn.mesoclinic_maintenance = mode
            try:
                yield
            finally:
                conn.mesoclinic_maintenance = previous
