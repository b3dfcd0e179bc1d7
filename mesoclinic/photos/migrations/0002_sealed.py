"""Signed means signed, in the database too (issue 15): see mesoclinic.core.db.sealed."""

from django.db import migrations

from mesoclinic.core.db import sealed


class Migration(migrations.Migration):
    dependencies = [("photos", "0001_initial")]
    operations = [
        sealed(
            "photos_photoconsent",
            mutable=("withdrawn_at", "withdrawn_by_id", "signer_name"),
            also_refuse="OLD.withdrawn_at IS NOT NULL AND (NEW.withdrawn_at IS DISTINCT FROM "
            "OLD.withdrawn_at OR NEW.withdrawn_by_id IS DISTINCT FROM OLD.withdrawn_by_id)",
        ),
        sealed("photos_photo", mutable=("thumbnail", "analysis"), deletable=True),
    ]
