from django.db import migrations

from mesoclinic.core.db import append_only


class Migration(migrations.Migration):
    dependencies = [("followup", "0001_initial")]
    operations = [append_only("followup_aftercaresheet")]
