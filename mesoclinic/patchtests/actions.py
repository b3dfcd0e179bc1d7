"""Every write of patch tests: one transaction, one audit entry."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.accounts.actor import Actor
from mesoclinic.audit.actions import record
from mesoclinic.lib.refusals import Refused

from . import status
from .models import PatchTest, PatchTestVoid, Result


@transaction.atomic
def record_patch_test(
    actor: Actor,
    patient,
    *,
    site: str,
    applied_at: dt.datetime,
    product=None,
    substance: str = "",
    reading_minutes: int | None = None,
    product_class: str = "",
    site_detail: str = "",
) -> PatchTest:
    """A patch test put on the skin; it is read later, not before its reading time. With a
    catalogue `product`, its name, class and reading time are the catalogue's (the form
    always gives one; `substance`/`reading_minutes` serve imports and older callers)."""
    actor.require("record_clinical")
    if product is not None:
        if product.clinic_id != patient.clinic_id:
            raise Refused({"product": _("This product belongs to another clinic.")})
        if not product.patch_test_reading_minutes:
            raise Refused(
                {
                    "product": _(
                        "The catalogue gives %(p)s no patch-test reading time: it needs no "
                        "patch test, or its reading time must be added to the catalogue first."
                    )
                    % {"p": product.name}
                }
            )
        substance = product.name
        product_class = product.product_class
        reading_minutes = product.patch_test_reading_minutes
    if not substance.strip() or reading_minutes is None:
        raise Refused({"product": _("Choose the product tested from the catalogue.")})
    status.refuse(status.application_errors(applied_at, reading_minutes, timezone.now()))
    test = PatchTest.objects.create(
        patient=patient,
        product=product,
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


@transaction.atomic
def void_patch_test(actor: Actor, test: PatchTest, *, reason: str) -> PatchTestVoid:
    """Void a test entered by mistake, with the reason. It stays on record, counts no more
    for treatment, and a new test can be recorded. A void is never undone."""
    actor.require("record_clinical")
    locked = PatchTest.objects.select_for_update().get(pk=test.pk)  # one void at a time
    status.refuse(status.void_errors(locked, reason))
    void = PatchTestVoid.objects.create(test=locked, reason=reason.strip(), by=actor.user)
    record(
        actor,
        "update",
        locked,
        patient=locked.patient,
        summary=f"patch test voided: {void.reason}",
    )
    return void
