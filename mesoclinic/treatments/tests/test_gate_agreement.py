"""One gate, three readers: for every state of the gate's checks 1-4 the session start
(`check_gate`), the day view's glance (batched) and the portal's consent list agree on what
is missing."""

import datetime as dt

import pytest

from mesoclinic.consent.actions import withdraw_consent
from mesoclinic.consent.models import Consent
from mesoclinic.patchtests.actions import read_patch_test, record_patch_test, void_patch_test
from mesoclinic.patchtests.models import PatchTest
from mesoclinic.products.models import Lot
from mesoclinic.scheduling.glance import readiness
from mesoclinic.screening.actions import screen_patient
from mesoclinic.treatments import access as treatments_access
from mesoclinic.treatments.gate import check_gate
from tests.support import journeys, personas
from tests.support.treatments import NOW, TODAY

CHECKS = ("screening", "consent", "patch", "lot")


def _no_screening(act, plan, product, lot):
    personas.make_intake(act, plan.patient, smoker=True)  # a new history: not current


def _not_eligible(act, plan, product, lot):
    personas.make_intake(act, plan.patient, pregnant=True)
    screen_patient(act, plan.patient, plan.protocol, TODAY, [product.as_engine_product()])


def _without_the_product(act, plan, product, lot):
    screen_patient(act, plan.patient, plan.protocol, TODAY, [])


def _consent_withdrawn(act, plan, product, lot):
    for consent in Consent.objects.filter(patient=plan.patient):
        withdraw_consent(act, consent, "The patient changed their mind.")


def _patch_voided(act, plan, product, lot):
    for test in PatchTest.objects.filter(patient=plan.patient):
        void_patch_test(act, test, reason="Entered for the wrong patient.")


def _patch_positive(act, plan, product, lot):
    test = record_patch_test(
        act,
        plan.patient,
        product=product,
        site="inner_forearm",
        applied_at=NOW - dt.timedelta(hours=1),
    )
    read_patch_test(act, test, result="positive", read_at=NOW - dt.timedelta(minutes=10))


def _lot_expired(act, plan, product, lot):
    Lot.objects.filter(pk=lot.pk).update(expiry=TODAY - dt.timedelta(days=1))


def _consent_and_lot(act, plan, product, lot):
    _consent_withdrawn(act, plan, product, lot)
    _lot_expired(act, plan, product, lot)


STATES = {
    "open": (lambda *a: None, []),
    "no screening": (_no_screening, ["screening"]),
    "not eligible": (_not_eligible, ["screening"]),
    "product not screened": (_without_the_product, ["screening"]),
    "consent withdrawn": (_consent_withdrawn, ["consent"]),
    "patch test voided": (_patch_voided, ["patch"]),
    "patch test positive": (_patch_positive, ["patch"]),
    "lot expired": (_lot_expired, ["lot"]),
    "consent and lot": (_consent_and_lot, ["consent", "lot"]),
}


@pytest.mark.parametrize("state", list(STATES))
def test_the_session_start_the_day_view_and_the_portal_agree(
    state, ready, nora, frank, adam, patient
):
    plan, product, lot = ready
    act = personas.actor(nora)
    practitioner, room = journeys.scheduling_setup(adam)
    appointment = journeys.book(frank, plan, NOW + dt.timedelta(hours=2), practitioner, room)
    patient_actor = personas.actor(journeys.portal_user(nora, patient))
    change, expected = STATES[state]
    change(act, plan, product, lot)

    at_start = [
        k
        for k in dict.fromkeys(i.key.split(":")[0] for i in check_gate(act, plan) if not i.ok)
        if k in CHECKS
    ]
    appointment.refresh_from_db()
    glance = readiness(personas.actor(frank), [appointment], TODAY)[appointment.pk]
    portal = {
        c["plan"].pk: c["ready"] for c in treatments_access.own_consents_to_sign(patient_actor)
    }

    assert at_start == expected
    assert glance.missing == expected
    assert glance.ready is (not expected)
    assert portal[plan.pk] is ("consent" not in expected)
