from django.db import migrations

from mesoclinic.core.db import append_only


class Migration(migrations.Migration):
    dependencies = [("treatments", "0001_initial")]
    operations = [append_only("treatments_amendment")]
