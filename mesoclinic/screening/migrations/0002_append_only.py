from django.db import migrations

from mesoclinic.core.db import append_only


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]
    operations = [
        append_only("screening_screeningrecord"),
        append_only("screening_screeningoverride"),
    ]
