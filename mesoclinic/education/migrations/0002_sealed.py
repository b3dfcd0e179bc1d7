"""Signed means signed, in the database too (issue 15): see mesoclinic.core.db.sealed."""

from django.db import migrations

from mesoclinic.core.db import sealed


class Migration(migrations.Migration):
    dependencies = [("education", "0001_initial")]
    operations = [
        sealed("education_articleversion", when="OLD.status = 'approved'"),
    ]
