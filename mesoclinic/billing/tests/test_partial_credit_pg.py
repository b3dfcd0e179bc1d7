"""Partial credit notes under concurrency, on PostgreSQL: desks crediting parts of the
same invoice at the same moment never take back more than the invoice, and the credit
notes they issue are numbered without gaps or repeats."""

import threading

import pytest
from django.db import close_old_connections, connection

from mesoclinic.billing import actions, credits
from mesoclinic.billing.models import Counter, Invoice
from mesoclinic.lib.refusals import Refused
from tests.support import personas

pytestmark = pytest.mark.django_db(transaction=True)

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="real concurrent writers need PostgreSQL (run with DATABASE_URL=postgres://...)",
)


@needs_postgres
def test_concurrent_partial_credits_never_exceed_the_invoice(adam, frank, prices, signed):
    invoice = actions.invoice_session(personas.actor(frank), signed)  # line 1: 1 500.00
    n = 7  # 7 x 300.00 asked for, 1 500.00 on the line: 5 may be taken, 2 refused
    barrier = threading.Barrier(n)
    refused, errors = [], []

    def run():
        try:
            barrier.wait()
            actions.credit(personas.actor(adam), invoice, reason="goodwill", amounts={1: 30000})
        except Refused as exc:
            refused.append(exc)
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == [] and len(refused) == 2
    notes = Invoice.objects.filter(kind="credit_note", credits=invoice)
    assert sorted(notes.values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    assert Counter.objects.get(clinic=invoice.clinic, series="CN").last == 5
    assert [left.gross for left in credits.left_to_credit(invoice)] == [0, 2000]
    assert sum(x.gross for x in notes) == -150000
