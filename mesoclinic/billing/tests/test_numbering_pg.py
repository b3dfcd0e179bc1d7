"""Gapless numbers under concurrency, on PostgreSQL: many desks issuing at the same moment
get 1..N with no gap and no repeat, and a rolled-back issue leaves no gap."""

import threading

import pytest
from django.db import close_old_connections, connection, transaction

from mesoclinic.billing import numbering
from mesoclinic.billing.models import Counter

pytestmark = pytest.mark.django_db(transaction=True)

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="real concurrent writers need PostgreSQL (run with DATABASE_URL=postgres://...)",
)


def _issue_in_threads(clinic, n: int, fail_every: int = 0) -> list:
    barrier = threading.Barrier(n)
    got: list = []
    lock = threading.Lock()

    def run(i):
        try:
            barrier.wait()
            with transaction.atomic():
                number = numbering.next_number(clinic, "INV")
                if fail_every and i % fail_every == 0:
                    raise RuntimeError("the issue failed after taking a number")
            with lock:
                got.append(number)
        except RuntimeError:
            pass
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return got


@needs_postgres
def test_concurrent_issuers_get_consecutive_numbers(clinic_a, clinic_b):
    got = _issue_in_threads(clinic_a, 12)
    assert sorted(got) == list(range(1, 13))
    assert Counter.objects.get(clinic=clinic_a, series="INV").last == 12
    # another clinic has its own series
    assert sorted(_issue_in_threads(clinic_b, 3)) == [1, 2, 3]


@needs_postgres
def test_a_rolled_back_issue_leaves_no_gap(clinic_a):
    got = _issue_in_threads(clinic_a, 12, fail_every=3)  # 4 of 12 roll back
    assert sorted(got) == list(range(1, 9))


def test_numbers_are_only_taken_inside_a_transaction(clinic_a):
    with pytest.raises(RuntimeError):
        numbering.next_number(clinic_a, "INV")


@needs_postgres
def test_concurrent_invoices_are_numbered_without_gaps(frank, patient):
    """The whole issuing path (lines, totals, audit) from 8 threads at once."""
    from decimal import Decimal

    from mesoclinic.billing import actions, pricing
    from mesoclinic.billing.models import Invoice
    from tests.support import personas

    barrier = threading.Barrier(8)
    errors: list = []

    def run():
        try:
            barrier.wait()
            with transaction.atomic():
                line = pricing.Line("Consultation", Decimal(1), 50000, Decimal(20))
                actions._issue(personas.actor(frank), patient, "invoice", [line])
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    numbers = sorted(Invoice.objects.filter(clinic=patient.clinic).values_list("number", flat=True))
    assert numbers == list(range(1, 9))
