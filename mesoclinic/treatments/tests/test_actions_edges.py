"""Refusals of the plan and session actions: each names the problem and writes nothing
(no row, no stock move, no audit entry)."""

import datetime as dt
from decimal import Decimal

import pytest

from mesoclinic.audit.models import AuditEvent
from mesoclinic.lib.refusals import Forbidden
from mesoclinic.products.models import StockMove
from mesoclinic.treatments import access, actions, amendments
from mesoclinic.treatments.models import Amendment, SessionPoint, TreatmentPlan
from tests.support import journeys, personas
from tests.support.products import make_lot, make_product
from tests.support.treatments import NOW, TODAY, clear_for_treatment, point, seal_lifted


def _back_15_days(session):
    from mesoclinic.treatments.models import TreatmentSession

    earlier = session.started_at - dt.timedelta(days=15)
    with seal_lifted(session):
        TreatmentSession.objects.filter(pk=session.pk).update(started_at=earlier, signed_at=earlier)


def _plan_kwargs(product, **kw):
    return {
        "start_date": TODAY,
        "sessions": 4,
        "products": [product],
        "concerns": [],
        "zones": ["forehead"],
        **kw,
    }


@pytest.fixture
def screened(nora, patient, booster):
    product, _lot = booster
    personas.make_intake(personas.actor(nora), patient)
    return clear_for_treatment(nora, patient, [product])


def test_a_plan_is_refused_for_bad_input_and_nothing_is_written(
    nora, frank, patient, booster, screened, charlie
):
    product, _lot = booster
    act = personas.actor(nora)
    other = personas.make_patient(act, given="Zeynep", family="Kaya")
    foreign = make_product(personas.actor(charlie), name="Foreign booster")
    plans, events = TreatmentPlan.objects.count(), AuditEvent.objects.count()
    with pytest.raises(actions.Refused, match="another patient"):
        actions.create_plan(act, other, screened, **_plan_kwargs(product))
    with pytest.raises(actions.Refused) as err:
        actions.create_plan(act, patient, screened, **_plan_kwargs(product, zones=["ears"]))
    assert "ears" in err.value.message_dict["zones"][0]
    with pytest.raises(actions.Refused) as err:
        actions.create_plan(act, patient, screened, **_plan_kwargs(foreign))
    assert "another clinic" in err.value.message_dict["products"][0]
    with pytest.raises(actions.Refused) as err:
        actions.create_plan(act, patient, screened, **_plan_kwargs(product, sessions=99))
    assert "99 is outside" in err.value.message_dict["sessions"][0]
    with pytest.raises(Forbidden):
        actions.create_plan(personas.actor(frank), patient, screened, **_plan_kwargs(product))
    assert TreatmentPlan.objects.count() == plans
    assert AuditEvent.objects.count() == events


def test_a_session_starts_only_on_an_active_plan_with_no_open_session(ready, nora):
    plan, _product, _lot = ready
    act = personas.actor(nora)
    session = actions.start_session(act, plan)
    with pytest.raises(actions.Refused, match="still open"):
        actions.start_session(act, plan)
    assert plan.sessions.count() == 1
    TreatmentPlan.objects.filter(pk=plan.pk).update(status="completed")
    with pytest.raises(actions.Refused, match="not active"):
        actions.start_session(act, plan)
    assert plan.sessions.count() == 1 and session.number == 1


def test_a_lot_of_another_clinic_or_with_too_little_left_is_refused(ready, nora, charlie):
    plan, product, _lot = ready
    act = personas.actor(nora)
    session = actions.start_session(act, plan)
    foreign = make_lot(personas.actor(charlie), make_product(personas.actor(charlie)), "F-1")
    with pytest.raises(actions.Refused) as err:
        actions.add_point(act, session, point(foreign))
    assert "another clinic" in err.value.message_dict["lot"][0]
    nearly_empty = make_lot(act, product, "HB-LOW", quantity="0.020")
    with pytest.raises(actions.Refused) as err:
        actions.add_point(act, session, point(nearly_empty, volume_ml="0.050"))
    assert "lot" in err.value.message_dict
    nearly_empty.refresh_from_db()
    assert nearly_empty.quantity_remaining == Decimal("0.020")
    assert not session.points.exists()  # the point rolled back with the refused stock move


def test_a_signed_session_refuses_every_direct_change(ready, nora):
    plan, _product, lot = ready
    act = personas.actor(nora)
    session = actions.start_session(act, plan)
    p, _warnings = actions.add_point(act, session, point(lot))
    actions.sign_off(act, session)
    moves, events = StockMove.objects.count(), AuditEvent.objects.count()
    with pytest.raises(actions.Refused, match="amendment"):
        actions.move_point(act, p, x=40, y=30)
    with pytest.raises(actions.Refused, match="amendment"):
        actions.remove_point(act, p)
    with pytest.raises(actions.Refused, match="amendment"):
        actions.update_details(act, session, {"notes": "late note"})
    session.refresh_from_db()
    assert session.notes == "" and session.points.count() == 1
    assert StockMove.objects.count() == moves and AuditEvent.objects.count() == events


def test_a_point_moved_off_the_diagram_or_into_no_zone_stays(ready, nora):
    plan, _product, lot = ready
    act = personas.actor(nora)
    session = actions.start_session(act, plan)
    p, _warnings = actions.add_point(act, session, point(lot))
    with pytest.raises(actions.Refused) as err:
        actions.move_point(act, p, x=101, y=20)
    assert "diagram" in err.value.message_dict["x"][0]
    with pytest.raises(actions.Refused) as err:
        actions.move_point(act, p, x=0, y=0)  # a corner of the diagram: no zone there
    assert "none of this protocol's zones" in err.value.message_dict["x"][0]
    p.refresh_from_db()
    assert (p.zone, p.x, p.y) == ("forehead", 50.0, 20.0)
    moved = actions.move_point(act, p, x=51, y=21)  # within the same zone: no new check
    assert moved.zone == "forehead" and moved.x == 51
    assert AuditEvent.objects.filter(action="update", summary__startswith="point moved").exists()


def test_session_details_name_each_bad_field(ready, nora):
    plan, _product, _lot = ready
    act = personas.actor(nora)
    session = actions.start_session(act, plan)
    with pytest.raises(actions.Refused) as err:
        actions.update_details(act, session, {"anaesthetic_removed_at": NOW})
    assert set(err.value.message_dict) == {"anaesthetic_applied_at"}
    with pytest.raises(actions.Refused) as err:
        actions.update_details(act, session, {"pain_score": -1})
    assert set(err.value.message_dict) == {"pain_score"}
    session.refresh_from_db()
    assert session.anaesthetic_removed_at is None and session.pain_score is None


def test_an_empty_session_cannot_be_signed_and_a_full_series_completes_the_plan(
    nora, patient, booster
):
    product, lot = booster
    plan = journeys.ready_plan(nora, patient, product, TODAY)
    act = personas.actor(nora)
    session = actions.start_session(act, plan)
    with pytest.raises(actions.Refused, match="at least one point"):
        actions.sign_off(act, session)
    session.refresh_from_db()
    assert not session.is_signed
    assert not AuditEvent.objects.filter(action="sign", object_code=str(session.code)).exists()
    TreatmentPlan.objects.filter(pk=plan.pk).update(sessions_planned=1)
    actions.add_point(act, session, point(lot))
    actions.sign_off(act, session)
    plan.refresh_from_db()
    assert plan.status == "completed"


def test_the_snapshot_keeps_the_cream_times(ready, nora):
    plan, _product, lot = ready
    act = personas.actor(nora)
    session = actions.start_session(act, plan)
    actions.add_point(act, session, point(lot))
    applied = NOW - dt.timedelta(minutes=40)
    actions.update_details(
        act, session, {"anaesthetic_applied_at": applied, "anaesthetic_removed_at": NOW}
    )
    record = actions.sign_off(act, session).signed_record
    assert dt.datetime.fromisoformat(record["anaesthetic_applied_at"]) == applied
    assert dt.datetime.fromisoformat(record["anaesthetic_removed_at"]) == NOW


def test_amendments_refuse_an_open_session_and_a_foreign_point(ready, nora, alice):
    plan, _product, lot = ready
    act = personas.actor(nora)
    session = actions.start_session(act, plan)
    p, _warnings = actions.add_point(act, session, point(lot))
    with pytest.raises(actions.Refused, match="change it directly"):
        amendments.amend(act, session, reason="Wrong volume", details={"notes": "x"})
    actions.sign_off(act, session)
    _back_15_days(session)  # the series interval has passed
    second = actions.start_session(act, plan)
    other, _warnings = actions.add_point(act, second, point(lot))
    with pytest.raises(actions.Refused, match="another session"):
        amendments.amend(act, session, reason="Wrong point removed", remove_points=[other])
    with pytest.raises(actions.Refused, match="changes nothing"):
        amendments.amend(act, session, reason="Nothing really", details={"notes": ""})
    assert not Amendment.objects.exists()
    assert SessionPoint.objects.filter(pk=other.pk).exists()


def test_an_amendment_adds_a_point_and_takes_its_stock(ready, nora):
    plan, _product, lot = ready
    act = personas.actor(nora)
    session = actions.start_session(act, plan)
    actions.add_point(act, session, point(lot))
    actions.sign_off(act, session)
    applied = NOW - dt.timedelta(minutes=45)
    amendment = amendments.amend(
        act,
        session,
        reason="A second forehead point was not charted",
        details={"anaesthetic_applied_at": applied, "anaesthetic_removed_at": NOW},
        add_points=[point(lot, x=55.0, volume_ml="0.100")],
    )
    ops = [c["op"] for c in amendment.changes]
    assert ops == ["set", "set", "add_point"]
    assert dt.datetime.fromisoformat(amendment.changes[0]["after"]) == applied  # as text
    assert amendment.changes[2]["after"]["volume_ml"] == "0.100"
    lot.refresh_from_db()
    assert lot.quantity_remaining == Decimal("20") - Decimal("0.150")
    assert session.points.count() == 2
    assert AuditEvent.objects.filter(
        action="update", summary="amendment: A second forehead point was not charted"
    ).exists()


def test_plans_and_sessions_of_another_clinic_are_not_found(ready, nora, charlie):
    from django.http import Http404

    plan, _product, lot = ready
    session = actions.start_session(personas.actor(nora), plan)
    p, _warnings = actions.add_point(personas.actor(nora), session, point(lot))
    stranger = personas.actor(charlie)
    for read, code in [
        (access.get_plan, plan.code),
        (access.get_session, session.code),
        (access.get_point, p.code),
    ]:
        with pytest.raises(Http404):
            read(stranger, code)
    assert access.plans_for(stranger, plan.patient) == []
    seen = AuditEvent.objects.filter(user=charlie).values_list("object_code", flat=True)
    assert not {str(plan.code), str(session.code)} & set(seen)


def test_a_session_read_for_update_is_not_audited_as_a_view(ready, nora):
    plan, _product, _lot = ready
    act = personas.actor(nora)
    session = actions.start_session(act, plan)
    before = AuditEvent.objects.filter(action="view").count()
    assert access.get_session(act, session.code, for_update=True).pk == session.pk
    assert AuditEvent.objects.filter(action="view").count() == before
    access.get_session(act, session.code)
    assert AuditEvent.objects.filter(action="view").count() == before + 1


def test_last_class_sessions_counts_only_days_before_the_date(nora, patient):
    act = personas.actor(nora)
    numbing = make_product(
        act, name="Numbing cocktail", ingredients=["sodium hyaluronate", "lidocaine"]
    )
    lot = make_lot(act, numbing, "NC-1")
    plan = journeys.ready_plan(nora, patient, numbing, TODAY)
    session = actions.start_session(act, plan)
    actions.add_point(act, session, point(lot))
    assert access.last_class_sessions(patient, TODAY, act.clinic) == {}  # not before today
    later = access.last_class_sessions(patient, TODAY + dt.timedelta(days=1), act.clinic)
    assert later == {"amide-local-anaesthetic": TODAY}
