"""Signed or appended rows are never deleted, on SQLite too (issue 15): a DELETE guard on
each sealed or append-only table; see mesoclinic.core.db.delete_guard and maintenance.
"""

from django.db import migrations

from mesoclinic.core.db import delete_guard


class Migration(migrations.Migration):
    dependencies = [("billing", "0004_partial_credit_notes")]
    operations = [
        delete_guard("billing_invoice"),
        delete_guard("billing_invoiceline"),
        delete_guard("billing_payment"),
    ]
