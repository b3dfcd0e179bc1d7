"""Signed means signed, in the database too (issue 15): see mesoclinic.core.db.sealed."""

from django.db import migrations

from mesoclinic.core.db import sealed


class Migration(migrations.Migration):
    dependencies = [("patchtests", "0002_product_and_void")]
    operations = [
        sealed("patchtests_patchtest", when="OLD.result <> 'pending'"),
    ]
