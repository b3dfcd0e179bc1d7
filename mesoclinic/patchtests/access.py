"""Every read of patch tests: scoped to the actor's clinic, audited."""

from django.http import Http404

from mesoclinic.accounts.actor import Actor
from mesoclinic.audit.actions import record

from . import status
from .models import PatchTest


def patch_tests_for(actor: Actor, patient) -> list[PatchTest]:
    """The patient's patch tests, newest first, in one query."""
    actor.require("view_clinical")
    if patient.clinic_id != actor.clinic.id:
        raise Http404("no such patient")
    tests = list(patient.patch_tests.select_related("applied_by", "read_by", "product", "void__by"))
    record(actor, "view", patient, patient=patient, summary="patch tests")
    return tests


def get_patch_test(actor: Actor, code, *, audit: str | None = "view") -> PatchTest:
    """The patch test with this public code in the actor's clinic, or 404."""
    actor.require("view_clinical")
    try:
        test = PatchTest.objects.select_related(
            "patient", "applied_by", "read_by", "product", "void__by"
        ).get(code=code, patient__clinic=actor.clinic)
    except (PatchTest.DoesNotExist, ValueError, TypeError):
        raise Http404("no such patch test") from None
    if audit:
        record(actor, audit, test, patient=test.patient)
    return test


def blocking(actor: Actor, patient) -> list[status.Block]:
    """Every patch test of the patient that blocks treatment with what it tested."""
    return status.blocking_tests(patch_tests_for(actor, patient))


def blocks_product(actor: Actor, patient, substance: str = "", product_class: str = ""):
    """For the ready-to-treat gate: the tests that block treatment with this product."""
    return status.blocks_product(patch_tests_for(actor, patient), substance, product_class)


def clearance(
    tests: list[PatchTest], substance: str = "", product_class: str = ""
) -> tuple[list, bool]:
    """For the ready-to-treat gate, over `patch_tests_for(...)`: (the tests that block the
    product, whether a read negative test covers it and nothing blocks it)."""
    return status.blocks_product(tests, substance, product_class), status.cleared(
        tests, substance, product_class
    )


def tests_of_patients(patient_ids) -> dict[int, list[PatchTest]]:
    """For the ready-to-treat gate over many patients (the day view): each patient's patch
    tests in one query; the caller scopes the patients to its clinic."""
    out: dict[int, list[PatchTest]] = {}
    for t in PatchTest.objects.filter(patient__in=list(patient_ids)):
        out.setdefault(t.patient_id, []).append(t)
    return out
