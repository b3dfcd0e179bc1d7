"""The day view's "at a glance" column: is each patient screened for that day, and would
the ready-to-treat gate open? Status words only, no clinical detail, so the front desk
may see them.

The same checks as `treatments.gate.check_gate` (screening of the day on the current
medical history, eligible and covering the cocktail; valid consent; a read negative patch
test for each product that needs one; a usable lot), but for a whole day at once in a
fixed number of queries, through the rule owners' own pure functions
(`screening.access.effective_decision`, `consent.validity.status_of`,
`patchtests.status.blocks_product/cleared`, `products.access.usable_q`).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import prefetch_related_objects
from django.utils import timezone

from mesoclinic.accounts.actor import Actor


@dataclass
class Glance:
    screening: str  # eligible / defer / review / contraindicated / none
    ready: bool | None  # None: not part of a plan, no gate to check
    missing: list[str] = field(default_factory=list)  # screening, consent, patch, lot


def readiness(actor: Actor, appointments: list, day: dt.date) -> dict[int, Glance]:
    from mesoclinic.consent.models import Consent
    from mesoclinic.consent.validity import status_of
    from mesoclinic.consent.versions import current_versions
    from mesoclinic.patchtests import status as patch_status
    from mesoclinic.patchtests.models import PatchTest
    from mesoclinic.products.access import usable_q
    from mesoclinic.products.models import Lot
    from mesoclinic.screening.access import effective_decision
    from mesoclinic.screening.models import ScreeningRecord

    if not appointments:
        return {}
    patients = {a.patient_id: a.patient for a in appointments}
    screenings: dict[tuple[int, str], object] = {}
    for record in (
        ScreeningRecord.objects.filter(patient__in=list(patients), planned_date=day)
        .select_related("override")
        .defer("result")  # the engine's whole answer: not needed for a status word
        .order_by("-created_at", "-id")
    ):
        patient = patients[record.patient_id]
        if record.intake_id == patient.current_intake_id:
            screenings.setdefault((record.patient_id, record.protocol), record)
    plans = [a.plan for a in appointments if a.plan is not None]
    prefetch_related_objects(plans, "products")
    cocktails = {plan.pk: list(plan.products.all()) for plan in plans}
    consents: dict[int, list] = {}
    for c in (
        Consent.objects.filter(patient__in=list(patients))
        .select_related("template", "withdrawal")
        .defer("template__body", "signature")  # large, and not needed here
    ):
        consents.setdefault(c.patient_id, []).append(c)
    tests: dict[int, list] = {}
    for t in PatchTest.objects.filter(patient__in=list(patients)):
        tests.setdefault(t.patient_id, []).append(t)
    products = {p.pk for cocktail in cocktails.values() for p in cocktail}
    usable = (
        set(
            Lot.objects.filter(product__in=products)
            .filter(usable_q(actor, timezone.now()))
            .values_list("product_id", flat=True)
        )
        if products
        else set()
    )
    versions = current_versions({a.protocol for a in appointments if a.plan is not None})

    out = {}
    for a in appointments:
        record = screenings.get((a.patient_id, a.protocol))
        decision = effective_decision(record) if record is not None else "none"
        if a.plan is None:
            out[a.pk] = Glance(decision, None)
            continue
        cocktail = cocktails[a.plan.pk]
        missing = []
        screened = {p.get("name") for p in (record.products if record else []) or []}
        if decision != "eligible" or any(p.name not in screened for p in cocktail):
            missing.append("screening")
        classes = sorted({p.product_class for p in cocktail})
        mine = sorted(consents.get(a.patient_id, []), key=lambda c: c.signed_at, reverse=True)
        if not status_of(mine, a.protocol, classes, versions.get(a.protocol, 0)).valid:
            missing.append("consent")
        own_tests = tests.get(a.patient_id, [])
        for p in cocktail:
            if p.patch_test_reading_minutes and (
                patch_status.blocks_product(own_tests, p.name, p.product_class)
                or not patch_status.cleared(own_tests, p.name, p.product_class)
            ):
                missing.append("patch")
                break
        if any(p.pk not in usable for p in cocktail):
            missing.append("lot")
        out[a.pk] = Glance(decision, not missing, missing)
    return out
