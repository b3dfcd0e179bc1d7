"""The documented PostgreSQL roles (deploy/postgres-roles.sql): the application's role reads
and appends to the audit log and nothing more; it cannot truncate, update, delete or alter
the audit tables, nor disable or drop the triggers that keep signed records signed."""

import uuid
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from mesoclinic.audit.actions import record
from mesoclinic.audit.models import AuditEvent
from tests.support import personas

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL roles")

SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "postgres-roles.sql"

REFUSED = [
    "TRUNCATE audit_auditevent",
    "TRUNCATE audit_auditevent, audit_auditchainhead CASCADE",
    "UPDATE audit_auditevent SET summary = 'forged'",
    "DELETE FROM audit_auditevent",
    "DELETE FROM audit_auditchainhead",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only",
    "DROP TRIGGER audit_auditevent_append_only ON audit_auditevent",
    "ALTER TABLE audit_auditevent ADD COLUMN x int",
    "DROP TABLE audit_auditevent",
    "ALTER TABLE treatments_treatmentsession DISABLE TRIGGER treatments_session_sealed",
    "ALTER TABLE patchtests_patchtest DISABLE TRIGGER ALL",
]


@pytest.fixture
def app_role(db):
    """Both roles made (inside the test's transaction, so they vanish with it), the
    documented script run, and the connection switched to the application's role."""
    suffix = uuid.uuid4().hex[:8]
    owner, app = f"mesoclinic_owner_{suffix}", f"mesoclinic_app_{suffix}"
    sql = SCRIPT.read_text().replace("mesoclinic_owner", owner).replace("mesoclinic_app", app)
    with connection.cursor() as cur:
        cur.execute(f"CREATE ROLE {owner}")
        cur.execute(f"CREATE ROLE {app} NOSUPERUSER NOCREATEDB NOCREATEROLE")
        cur.execute(sql)
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cur.execute(f"SET ROLE {app}")
    yield app
    with connection.cursor() as cur:
        cur.execute("RESET ROLE")


def test_the_application_role_appends_to_the_audit_log(app_role, nora, patient):
    event = record(personas.actor(nora), "view", patient, patient=patient, summary="as app")
    assert AuditEvent.objects.get(pk=event.pk).summary == "as app"
    with connection.cursor() as cur:
        cur.execute("SELECT current_user")
        assert cur.fetchone()[0] == app_role


@pytest.mark.parametrize("sql", REFUSED)
def test_the_application_role_cannot_rewrite_or_unguard_the_log(app_role, nora, sql):
    record(personas.actor(nora), "view", summary="kept")
    with pytest.raises(DatabaseError) as err, transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql)
    assert "permission denied" in str(err.value) or "must be owner" in str(err.value)
    assert AuditEvent.objects.filter(summary="kept").exists()
