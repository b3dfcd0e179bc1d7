"""Signed or appended rows are never deleted, on SQLite too (issue 15): a DELETE guard on
each sealed or append-only table; see mesoclinic.core.db.delete_guard and maintenance.

A photo record is removed only by a patient's erasure (mesoclinic/erasure), inside
`maintenance("erasure")`; on PostgreSQL the trigger of 0002 let any DELETE through.
"""

from django.db import migrations

from mesoclinic.core.db import delete_guard


class Migration(migrations.Migration):
    dependencies = [("photos", "0002_sealed")]
    operations = [
        delete_guard("photos_photoconsent"),
        delete_guard("photos_photo", erasable=True),
    ]
