"""Signed means signed, in the database too: a signed session keeps its status, signer and
signed record; its other fields and its points change only while an amendment of the next
revision exists (amendments.py writes it first), and a signed session is never deleted.

PostgreSQL refuses updates, inserts and deletes; SQLite refuses updates and inserts and
keeps deletes to the ORM guard (Django's test flush deletes rows there row by row, while on
PostgreSQL it truncates, which row triggers do not see)."""

from django.db import migrations

PG_FORWARD = [
    """
CREATE OR REPLACE FUNCTION treatments_session_sealed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status = 'signed' THEN
      RAISE EXCEPTION 'a signed session is never deleted';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status = 'signed' THEN
    IF NEW.status <> 'signed' OR NEW.signed_at IS DISTINCT FROM OLD.signed_at
       OR NEW.signed_by_id IS DISTINCT FROM OLD.signed_by_id
       OR NEW.signed_record IS DISTINCT FROM OLD.signed_record
       OR NEW.id <> OLD.id OR NEW.code <> OLD.code OR NEW.plan_id <> OLD.plan_id
       OR NEW.patient_id <> OLD.patient_id OR NEW.number <> OLD.number
       OR NEW.protocol <> OLD.protocol OR NEW.started_at <> OLD.started_at THEN
      RAISE EXCEPTION 'a signed session keeps its status, signer and signed record';
    END IF;
    IF NEW.revision <> OLD.revision + 1 OR NOT EXISTS (
        SELECT 1 FROM treatments_amendment a
        WHERE a.session_id = OLD.id AND a.revision = NEW.revision) THEN
      RAISE EXCEPTION 'a signed session changes only by an amendment';
    END IF;
  END IF;
  RETURN NEW;
END $$;
""",
    "CREATE TRIGGER treatments_session_sealed BEFORE UPDATE OR DELETE ON "
    "treatments_treatmentsession FOR EACH ROW EXECUTE FUNCTION treatments_session_sealed();",
    """
CREATE OR REPLACE FUNCTION treatments_point_sealed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE s RECORD;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF EXISTS (SELECT 1 FROM treatments_treatmentsession
               WHERE id IN (OLD.session_id, NEW.session_id) AND status = 'signed') THEN
      RAISE EXCEPTION 'a point of a signed session is never changed';
    END IF;
    RETURN NEW;
  END IF;
  SELECT id, status, revision INTO s FROM treatments_treatmentsession
    WHERE id = (CASE WHEN TG_OP = 'INSERT' THEN NEW.session_id ELSE OLD.session_id END);
  IF FOUND AND s.status = 'signed' AND NOT EXISTS (
      SELECT 1 FROM treatments_amendment a WHERE a.session_id = s.id AND a.revision = s.revision + 1) THEN
    RAISE EXCEPTION 'points of a signed session are added or removed only by an amendment';
  END IF;
  IF TG_OP = 'INSERT' THEN RETURN NEW; END IF;
  RETURN OLD;
END $$;
""",
    "CREATE TRIGGER treatments_point_sealed BEFORE INSERT OR UPDATE OR DELETE ON "
    "treatments_sessionpoint FOR EACH ROW EXECUTE FUNCTION treatments_point_sealed();",
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS treatments_session_sealed ON treatments_treatmentsession;",
    "DROP TRIGGER IF EXISTS treatments_point_sealed ON treatments_sessionpoint;",
    "DROP FUNCTION IF EXISTS treatments_session_sealed();",
    "DROP FUNCTION IF EXISTS treatments_point_sealed();",
]

SQLITE_FORWARD = [
    """
CREATE TRIGGER treatments_session_sealed_fields BEFORE UPDATE ON treatments_treatmentsession
WHEN OLD.status = 'signed' AND (NEW.status IS NOT 'signed' OR NEW.signed_at IS NOT OLD.signed_at
  OR NEW.signed_by_id IS NOT OLD.signed_by_id OR NEW.signed_record IS NOT OLD.signed_record
  OR NEW.id IS NOT OLD.id OR NEW.code IS NOT OLD.code OR NEW.plan_id IS NOT OLD.plan_id
  OR NEW.patient_id IS NOT OLD.patient_id OR NEW.number IS NOT OLD.number
  OR NEW.protocol IS NOT OLD.protocol OR NEW.started_at IS NOT OLD.started_at)
BEGIN SELECT RAISE(ABORT, 'a signed session keeps its status, signer and signed record'); END;
""",
    """
CREATE TRIGGER treatments_session_sealed BEFORE UPDATE ON treatments_treatmentsession
WHEN OLD.status = 'signed' AND (NEW.revision IS NOT OLD.revision + 1 OR NOT EXISTS (
  SELECT 1 FROM treatments_amendment a WHERE a.session_id = OLD.id AND a.revision = NEW.revision))
BEGIN SELECT RAISE(ABORT, 'a signed session changes only by an amendment'); END;
""",
    """
CREATE TRIGGER treatments_point_sealed_update BEFORE UPDATE ON treatments_sessionpoint
WHEN EXISTS (SELECT 1 FROM treatments_treatmentsession
             WHERE id IN (OLD.session_id, NEW.session_id) AND status = 'signed')
BEGIN SELECT RAISE(ABORT, 'a point of a signed session is never changed'); END;
""",
    """
CREATE TRIGGER treatments_point_sealed_insert BEFORE INSERT ON treatments_sessionpoint
WHEN EXISTS (SELECT 1 FROM treatments_treatmentsession s
             WHERE s.id = NEW.session_id AND s.status = 'signed' AND NOT EXISTS (
               SELECT 1 FROM treatments_amendment a
               WHERE a.session_id = s.id AND a.revision = s.revision + 1))
BEGIN SELECT RAISE(ABORT, 'points of a signed session are added only by an amendment'); END;
""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS treatments_session_sealed_fields;",
    "DROP TRIGGER IF EXISTS treatments_session_sealed;",
    "DROP TRIGGER IF EXISTS treatments_point_sealed_update;",
    "DROP TRIGGER IF EXISTS treatments_point_sealed_insert;",
]


def statements(vendor: str) -> tuple[list[str], list[str]]:
    """(drop, make) statements of the triggers for a database vendor."""
    return {
        "postgresql": (PG_BACKWARD, PG_FORWARD),
        "sqlite": (SQLITE_BACKWARD, SQLITE_FORWARD),
    }.get(vendor, ([], []))


def forward(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor)[1]:
        schema_editor.execute(sql, params=None)


def backward(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor)[0]:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("treatments", "0003_chart_sides_and_templates")]
    operations = [migrations.RunPython(forward, backward)]
