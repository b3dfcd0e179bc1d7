"""Every write of patch tests: one transaction, one audit entry."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from mesoclinic.accounts.actor import Actor
from mesoclinic.audit.actions import record

from . import status
from .models import PatchTest, Result


@transaction.atomic
def record_patch_test(
    actor: Actor,
    patient,
    *,
    substance: str,
    site: str,
    applied_at: dt.datetime,
    reading_minutes: int,
    product_class: str = "",
    site_detail: str = "",
) -> PatchTest:
    """A patch test put on the skin; it is read later, not before its reading time."""
    actor.require("record_clinical")
    status.refuse(status.application_errors(applied_at, reading_minutes, timezone.now()))
    test = PatchTest.objects.create(
        patient=patient,
        substance=substance.strip(),
        product_class=product_class,
        site=site,
        site_detail=site_detail.strip(),
        applied_at=applied_at,
        reading_minutes=reading_minutes,
        applied_by=actor.user,
    )
    record(actor, "create", test, patient=patient, summary="patch test applied")
    return test


@transaction.atomic
def read_patch_test(
    actor: Actor, test: PatchTest, *, result: str, read_at: dt.datetime, reaction_notes: str = ""
) -> PatchTest:
    """The reading of a patch test. Once read, a test is never read again."""
    actor.require("record_clinical")
    if result not in (Result.NEGATIVE, Result.POSITIVE):
        raise ValueError(f"a reading is negative or positive, not {result!r}")
    locked = PatchTest.objects.select_for_update().get(pk=test.pk)  # one reading at a time
    status.refuse(status.reading_errors(locked, read_at, timezone.now()))
    locked.result = result
    locked.read_at = read_at
    locked.read_by = actor.user
    locked.reaction_notes = reaction_notes.strip()
    locked.save(update_fields=["result", "read_at", "read_by", "reaction_notes"])
    record(actor, "read", locked, patient=test.patient, summary=f"patch test {result}")
    return locked
