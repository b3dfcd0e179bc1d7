"""Lots and stock moves: the usability rule, the stock actions, append-only moves."""

import datetime as dt
import threading
from decimal import Decimal

import msgspec
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mesoclinic.audit.models import AuditEvent
from mesoclinic.engine.inputs import Product as EngineProduct
from mesoclinic.lib.refusals import Refused
from mesoclinic.products import access, actions, rules
from mesoclinic.products.models import AppendOnly, Lot, MoveKind, StockMove
from tests.support import personas
from tests.support.products import make_lot, make_product

NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)


def total_of_moves(lot) -> Decimal:
    return sum((m.delta for m in StockMove.objects.filter(lot=lot)), Decimal(0))


def fresh(lot) -> Lot:
    return Lot.objects.select_related("product__clinic").get(pk=lot.pk)


# --- the usability rule -------------------------------------------------------------


def test_a_fresh_lot_is_usable(lot):
    assert rules.unusable_reasons(lot, timezone.now()) == []
    assert rules.lot_status(lot, timezone.now()) == rules.USABLE


def test_a_lot_is_usable_through_its_expiry_day_in_the_clinic_time_zone(act_nora, product):
    lot = make_lot(act_nora, product, expiry=dt.date(2026, 11, 21))
    lot = fresh(lot)
    # 23:30 in Istanbul on the expiry day is 20:30 UTC
    assert rules.unusable_reasons(lot, dt.datetime(2026, 11, 21, 20, 30, tzinfo=dt.UTC)) == []
    late = dt.datetime(2026, 11, 21, 21, 30, tzinfo=dt.UTC)  # 00:30 the next day there
    assert rules.unusable_reasons(lot, late) == ["Expired: its expiry date was 2026-11-21."]
    assert rules.lot_status(lot, late) == rules.EXPIRED


def test_a_recalled_lot_is_unusable_from_the_recall_on(act_alice, lot):
    before = timezone.now()
    actions.recall_lot(act_alice, lot, "Maker's notice 12/2026: particles in vials")
    reasons = rules.unusable_reasons(fresh(lot), timezone.now())
    assert len(reasons) == 1 and reasons[0].startswith("Recalled on ")
    assert reasons[0].endswith(": Maker's notice 12/2026: particles in vials")
    assert rules.lot_status(lot, timezone.now()) == rules.RECALLED
    # a use charted later for a time before the recall is judged by that time
    assert rules.unusable_reasons(fresh(lot), before) == []


def test_an_opened_multi_dose_vial_is_unusable_after_its_discard_time(act_nora, vial):
    opened = timezone.now() - dt.timedelta(hours=30)
    actions.open_lot(act_nora, vial, at=opened)
    assert vial.discard_by == opened + dt.timedelta(hours=24)
    reasons = rules.unusable_reasons(fresh(vial), timezone.now())
    assert len(reasons) == 1 and "multi-dose vial opened on" in reasons[0]
    assert rules.lot_status(vial, timezone.now()) == rules.DISCARDED
    assert rules.unusable_reasons(fresh(vial), opened + dt.timedelta(hours=23)) == []


def test_a_discarded_lot_and_an_empty_lot_are_unusable(act_nora, act_alice, product, lot):
    actions.discard_lot(act_nora, lot, reason="dropped")
    assert [r.split(" ")[0] for r in rules.unusable_reasons(fresh(lot), timezone.now())] == [
        "Discarded"
    ]
    assert rules.lot_status(lot, timezone.now()) == rules.DISCARDED
    other = make_lot(act_nora, product, lot_number="L2", quantity="1")
    actions.use_stock(act_alice, other, 1, "point-1")
    assert rules.unusable_reasons(fresh(other), timezone.now()) == ["Nothing is left of this lot."]
    assert rules.lot_status(other, timezone.now()) == rules.EMPTY


def test_the_rule_refuses_naive_datetimes(lot):
    with pytest.raises(ValueError):
        rules.unusable_reasons(lot, dt.datetime(2026, 11, 21, 12, 0))  # noqa: DTZ001


# --- using stock ----------------------------------------------------------------------


def test_a_use_takes_stock_and_records_a_move(act_alice, lot, patient):
    move = actions.use_stock(act_alice, lot, Decimal("0.5"), "pt-1", patient=patient)
    assert (
        move.kind == MoveKind.USE and move.delta == Decimal("-0.5") and move.by.username == "alice"
    )
    assert lot.quantity_remaining == Decimal("9.5")  # the caller's object is kept in step
    assert fresh(lot).quantity_remaining == Decimal("9.5") == total_of_moves(lot)
    event = AuditEvent.objects.get(object_code=str(lot.code), summary__startswith="used")
    assert event.patient_code == patient.code and event.detail["reference"] == "pt-1"


def test_a_use_is_refused_for_an_unusable_lot(act_nora, act_alice, product):
    old = make_lot(act_nora, product, lot_number="OLD", expiry=dt.date(2020, 1, 31))
    with pytest.raises(Refused) as refused:
        actions.use_stock(act_alice, old, 1, "pt-1")
    assert refused.value.messages == ["Expired: its expiry date was 2020-01-31."]
    assert fresh(old).quantity_remaining == 10 and total_of_moves(old) == 10


def test_a_use_of_more_than_is_left_is_refused(act_alice, lot):
    with pytest.raises(Refused, match="Only 10 mL are left"):
        actions.use_stock(act_alice, lot, "10.5", "pt-1")
    actions.use_stock(act_alice, lot, "10", "pt-1")
    with pytest.raises(Refused, match="Nothing is left"):
        actions.use_stock(act_alice, lot, "0.1", "pt-2")


@pytest.mark.parametrize("quantity", [0, -1, "abc", "0.0001", "NaN", None])
def test_a_use_needs_a_positive_quantity(act_alice, lot, quantity):
    with pytest.raises(ValidationError):
        actions.use_stock(act_alice, lot, quantity, "pt-1")
    assert StockMove.objects.filter(kind=MoveKind.USE).count() == 0


def test_a_use_needs_a_reference_and_a_time_not_in_the_future(act_alice, lot):
    with pytest.raises(ValidationError):
        actions.use_stock(act_alice, lot, 1, "  ")
    with pytest.raises(ValidationError):
        actions.use_stock(act_alice, lot, 1, "pt-1", at=timezone.now() + dt.timedelta(hours=1))
    with pytest.raises(ValueError):
        actions.use_stock(act_alice, lot, 1, "pt-1", at=dt.datetime(2026, 1, 1))  # noqa: DTZ001


def test_only_clinical_staff_of_the_clinic_use_stock(frank, adam, charlie, lot):
    for user in (frank, adam):
        with pytest.raises(PermissionDenied):
            actions.use_stock(personas.actor(user), lot, 1, "pt-1")
    with pytest.raises(Http404):
        actions.use_stock(personas.actor(charlie), lot, 1, "pt-1")
    assert fresh(lot).quantity_remaining == 10


def test_the_use_reads_the_lot_afresh_under_a_row_lock(act_alice, lot):
    stale = Lot.objects.get(pk=lot.pk)  # read before the other use: still shows 10
    actions.use_stock(act_alice, lot, 6, "pt-1")
    with CaptureQueriesContext(connection) as ctx, pytest.raises(Refused):
        actions.use_stock(act_alice, stale, 6, "pt-2")
    locking = [q["sql"] for q in ctx.captured_queries if 'FROM "products_lot"' in q["sql"]]
    assert locking, "the lot is read again inside the transaction"
    if connection.vendor == "postgresql":
        assert 'FOR UPDATE OF "products_lot"' in locking[0]
    assert fresh(lot).quantity_remaining == 4


@pytest.mark.django_db(transaction=True)
def test_two_uses_of_the_last_unit_at_once_let_exactly_one_through(alice, nora):
    act = personas.actor(alice)
    lot = make_lot(personas.actor(nora), make_product(personas.actor(nora)), quantity="1")
    barrier = threading.Barrier(2, timeout=10)
    results = []

    def use(n):
        try:
            barrier.wait()
            actions.use_stock(act, Lot.objects.get(pk=lot.pk), 1, f"pt-{n}")
            results.append("used")
        except Refused:
            results.append("refused")
        except DatabaseError as e:
            results.append(f"database error: {e}")
        finally:
            connection.close()

    threads = [threading.Thread(target=use, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("used") == 1, results
    if connection.vendor == "postgresql":  # the second waits for the lock, then is refused
        assert "refused" in results, results
    # (the test's shared in-memory SQLite may instead answer "table is locked" at once)
    assert fresh(lot).quantity_remaining == 0 == total_of_moves(lot)


def test_an_unopened_multi_dose_vial_is_opened_by_its_first_use(act_alice, vial):
    at = timezone.now() - dt.timedelta(minutes=10)
    actions.use_stock(act_alice, vial, 1, "pt-1", at=at)
    assert vial.opened_at == at and vial.discard_by == at + dt.timedelta(hours=24)


def test_usable_lots_put_the_open_vial_first_then_the_soonest_expiry(act_nora, act_alice):
    p = make_product(
        act_nora,
        name="Cocktail",
        product_class="vitamin-cocktail",
        ingredients=["biotin"],
        multi_dose=True,
        discard_after_opening_hours=24,
    )
    today = timezone.localdate()
    late = make_lot(act_nora, p, "LATE", today + dt.timedelta(days=300))
    soon = make_lot(act_nora, p, "SOON", today + dt.timedelta(days=30))
    make_lot(act_nora, p, "PAST", today - dt.timedelta(days=1))
    recalled = make_lot(act_nora, p, "RECALLED", today + dt.timedelta(days=10))
    actions.recall_lot(act_alice, recalled, "notice")
    assert [x.lot_number for x in access.usable_lots(act_nora, p, timezone.now())] == [
        "SOON",
        "LATE",
    ]
    actions.open_lot(act_nora, late)
    assert [x.code for x in access.usable_lots(act_nora, p, timezone.now())] == [
        late.code,
        soon.code,
    ]


# --- returns, adjustments, discards, opening ------------------------------------------


def test_a_return_gives_back_at_most_what_was_used_under_its_reference(act_alice, lot):
    actions.use_stock(act_alice, lot, 2, "pt-1")
    actions.use_stock(act_alice, lot, 1, "pt-2")
    actions.return_stock(act_alice, lot, "1.5", "pt-1")
    with pytest.raises(Refused, match="Only 0.5 mL"):
        actions.return_stock(act_alice, lot, 1, "pt-1")
    with pytest.raises(Refused):
        actions.return_stock(act_alice, lot, 1, "never-used")
    assert fresh(lot).quantity_remaining == Decimal("8.5") == total_of_moves(lot)


def test_an_adjustment_needs_a_reason_and_cannot_go_below_zero(act_nora, lot):
    with pytest.raises(ValidationError) as e:
        actions.adjust_stock(act_nora, lot, -1, " ")
    assert "reason" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        actions.adjust_stock(act_nora, lot, -11, "count")
    assert "delta" in e.value.message_dict
    with pytest.raises(ValidationError):
        actions.adjust_stock(act_nora, lot, 0, "count")
    actions.adjust_stock(act_nora, lot, -2, "two ampoules broken")
    actions.adjust_stock(act_nora, lot, "0.5", "found on count")
    assert fresh(lot).quantity_remaining == Decimal("8.5") == total_of_moves(lot)


def test_discarding_part_of_a_multi_dose_lot_closes_its_open_vial(act_nora, act_alice, vial):
    actions.use_stock(act_alice, vial, 1, "pt-1")
    assert vial.opened_at is not None
    actions.discard_lot(act_nora, vial, quantity="0.5", reason="vial past its time")
    vial = fresh(vial)
    assert vial.opened_at is None and vial.discard_by is None and vial.discarded_at is None
    assert vial.quantity_remaining == Decimal("3.5") == total_of_moves(vial)
    actions.open_lot(act_nora, vial)
    with pytest.raises(Refused, match="already open|open since"):
        actions.open_lot(act_nora, vial)
    with pytest.raises(ValidationError) as e:
        actions.discard_lot(act_nora, vial, quantity="4")
    assert "quantity" in e.value.message_dict
    actions.discard_lot(act_nora, vial)
    vial = fresh(vial)
    assert vial.quantity_remaining == 0 and vial.discarded_at is not None
    with pytest.raises(Refused):
        actions.discard_lot(act_nora, vial)


def test_a_single_dose_lot_is_not_opened(act_nora, lot):
    with pytest.raises(Refused):
        actions.open_lot(act_nora, lot)


# --- recalls --------------------------------------------------------------------------


def test_a_recall_needs_a_reason_and_the_capability(act_nora, act_alice, adam, lot):
    with pytest.raises(PermissionDenied):
        actions.recall_lot(act_nora, lot, "notice")
    with pytest.raises(ValidationError) as e:
        actions.recall_lot(act_alice, lot, "  ")
    assert "reason" in e.value.message_dict
    assert fresh(lot).recalled_at is None
    actions.recall_lot(act_alice, lot, "Maker's notice")
    with pytest.raises(Refused):
        actions.recall_lot(personas.actor(adam), lot, "again")
    lot = fresh(lot)
    assert lot.recalled_by.username == "alice" and lot.recall_reason == "Maker's notice"
    assert AuditEvent.objects.filter(action="recall", object_code=str(lot.code)).count() == 1
    assert access.recalled_lot_codes(act_nora) == {lot.code}
    with pytest.raises(Refused, match="Recalled on"):
        actions.use_stock(act_alice, lot, 1, "pt-1")


def test_recalled_lot_codes_and_lots_by_code_stay_in_the_clinic(act_alice, charlie, lot):
    actions.recall_lot(act_alice, lot, "notice")
    other = personas.actor(charlie)
    assert access.recalled_lot_codes(other) == frozenset()
    assert access.lots_by_code(other, [lot.code]) == {}
    found = access.lots_by_code(act_alice, [lot.code, str(lot.code), "not-a-code", None])
    assert list(found) == [lot.code] and found[lot.code].product.clinic.name == "Clinic A"


# --- stock moves are append-only ------------------------------------------------------


def test_stock_moves_are_append_only(act_alice, lot):
    move = actions.use_stock(act_alice, lot, 1, "pt-1")
    move.reason = "changed"
    with pytest.raises(AppendOnly):
        move.save()
    with pytest.raises(AppendOnly):
        move.delete()
    with pytest.raises(AppendOnly):
        StockMove.objects.filter(pk=move.pk).update(delta=-2)
    with pytest.raises(AppendOnly):
        StockMove.objects.filter(pk=move.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE products_stockmove SET delta = -2 WHERE id = %s", [move.pk])
    assert StockMove.objects.get(pk=move.pk).delta == -1


def test_a_product_goes_to_the_screening_engine_as_it_expects(product):
    engine = msgspec.convert(product.as_engine_product(), EngineProduct)
    assert engine.name == "Hyaluronic booster" and engine.vehicle == "aqueous"
    assert engine.ingredients == ["sodium hyaluronate", "vitamin C"]
