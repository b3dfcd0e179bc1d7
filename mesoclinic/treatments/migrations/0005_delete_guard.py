"""Signed or appended rows are never deleted, on SQLite too (issue 15): a signed session is
never deleted, the points of a signed session only while an amendment of its next revision
exists (amendments.py), and an amendment never; see mesoclinic.core.db.delete_guard."""

from django.db import migrations

from mesoclinic.core.db import delete_guard

POINT_SEALED = (
    "EXISTS (SELECT 1 FROM treatments_treatmentsession s WHERE s.id = OLD.session_id"
    " AND s.status = 'signed' AND NOT EXISTS (SELECT 1 FROM treatments_amendment a"
    " WHERE a.session_id = s.id AND a.revision = s.revision + 1))"
)


class Migration(migrations.Migration):
    dependencies = [("treatments", "0004_sealed")]
    operations = [
        delete_guard("treatments_amendment"),
        delete_guard("treatments_treatmentsession", when="OLD.status = 'signed'"),
        delete_guard("treatments_sessionpoint", when=POINT_SEALED),
    ]
