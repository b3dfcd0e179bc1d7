from django.db import migrations

from mesoclinic.core.db import append_only


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_initial")]
    operations = [
        append_only("consent_consenttemplate"),
        append_only("consent_consent"),
        append_only("consent_consentwithdrawal"),
    ]
