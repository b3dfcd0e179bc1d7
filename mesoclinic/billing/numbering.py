"""Gapless numbers per clinic and series. The counter row is locked FOR UPDATE inside the
transaction that issues the document: a second issuer waits until the first commits (and
then sees its number) or rolls back (and then reuses it), so a committed series has no
gaps and no repeats. SQLite locks the whole database on write, which serialises too."""

from django.db import IntegrityError, transaction

from .models import Counter


def next_number(clinic, series: str) -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside the issuing transaction")
    try:
        with transaction.atomic():  # a savepoint: a racing first insert is not fatal
            Counter.objects.get_or_create(clinic=clinic, series=series)
    except IntegrityError:
        pass
    counter = Counter.objects.select_for_update().get(clinic=clinic, series=series)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last
