"""The one narrow path that changes rows of an append-only table: erasure blanking the
personal fields (a signer's name, a drawn signature, an address) of one patient's rows.

The database triggers (core/db.py) refuse every UPDATE. Here, inside the caller's
transaction, the table's trigger is dropped, the named columns of the named rows are set
by one UPDATE, and the trigger is created again before anything else runs. DDL is
transactional on PostgreSQL and SQLite, so no other connection ever sees the table
without its trigger (PostgreSQL holds an exclusive lock on the table until the commit),
and a failure rolls the trigger back in place. The caller audits what it changed.
"""

from django.db import connection, transaction

from mesoclinic.core.db import append_only

ALLOWED = {  # table -> the personal columns erasure may blank, and nothing else
    "consent_consent": {"signer_name", "signature", "ip", "typed_signature"},
}


class _Editor:
    """What core.db.append_only's RunPython expects of a schema editor."""

    def __init__(self, conn):
        self.connection = conn

    def execute(self, sql, params=None):
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)


def redact(model, pks: list[int], values: dict) -> int:
    """Set `values` on the rows `pks` of the append-only `model`; the trigger stays."""
    table = model._meta.db_table
    if not pks:
        return 0
    if not set(values) <= ALLOWED.get(table, set()):
        raise ValueError(f"erasure may not change {sorted(values)} of {table}")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("redact runs inside the erasure's transaction")
    trigger = append_only(table)
    editor = _Editor(connection)
    qn = connection.ops.quote_name
    columns = [model._meta.get_field(name) for name in sorted(values)]
    sets = ", ".join(f"{qn(f.column)} = %s" for f in columns)
    params = [f.get_db_prep_save(values[f.name], connection) for f in columns]
    marks = ", ".join(["%s"] * len(pks))
    trigger.reverse_code(None, editor)  # drop the trigger (this transaction only)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {qn(table)} SET {sets} WHERE id IN ({marks})", [*params, *pks])
        changed = cursor.rowcount
    trigger.code(None, editor)  # and put it back before anything else runs
    return changed
