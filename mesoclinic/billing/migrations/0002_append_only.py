from django.db import migrations

from mesoclinic.core.db import append_only


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]
    operations = [
        append_only("billing_invoice"),
        append_only("billing_invoiceline"),
        append_only("billing_payment"),
    ]
