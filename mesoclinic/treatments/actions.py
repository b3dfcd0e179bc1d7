"""Every write of plans and sessions: one transaction, a row lock where two people may
act at once, and an audit entry."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.accounts.actor import Actor
from mesoclinic.audit.actions import record
from mesoclinic.engine.knowledge import load
from mesoclinic.engine.planning import plan as engine_plan
from mesoclinic.engine.screening import ingredient_classes
from mesoclinic.lib import clinicday, dates
from mesoclinic.lib.refusals import Refused
from mesoclinic.products.access import unusable_reasons
from mesoclinic.products.actions import return_stock, use_stock
from mesoclinic.screening import access as screening_access

from . import charting, diagram, intervals, recalls, signals
from .gate import check_gate
from .models import (
    PlanStatus,
    SessionPoint,
    SessionStatus,
    TreatmentPlan,
    TreatmentSession,
)

DIAGRAM_WIDTH, DIAGRAM_HEIGHT = 100, 130  # the diagrams' coordinate space (SVG viewBox)


@transaction.atomic
def create_plan(
    actor: Actor,
    patient,
    screening,
    *,
    start_date: dt.date,
    sessions: int | None,
    products: list,
    concerns: list[str],
    zones: list[str],
) -> TreatmentPlan:
    actor.require("record_clinical")
    k = load()
    if screening.patient_id != patient.pk:
        raise Refused(_("This screening belongs to another patient."))
    if screening_access.effective_decision(screening) != "eligible":
        raise Refused(
            _(
                "A plan needs a screening that allows treatment (eligible, or a review a physician overrode)."
            )
        )
    if not products:
        raise Refused({"products": _("Choose the products of the cocktail: a plan needs one.")})
    start_problem = dates.plan_start_error(start_date, clinicday.today(actor.clinic))
    if start_problem:
        raise Refused({"start_date": start_problem})
    p = k.protocols[screening.protocol]
    bad_zones = [z for z in zones if z not in {zz.id for zz in p.zones}]
    if bad_zones:
        raise Refused(
            {"zones": _("Not zones of this protocol: %(z)s") % {"z": ", ".join(bad_zones)}}
        )
    for product in products:
        if product.clinic_id != patient.clinic_id:
            raise Refused({"products": _("A product of another clinic cannot be planned.")})
    names = [ing for product in products for ing in product.ingredients]
    try:
        series = engine_plan(
            k, screening.protocol, start_date, sessions, ingredient_classes(k, names)
        )
    except ValueError as exc:  # engine InputError names the field
        raise Refused({"sessions": str(exc).split(": ", 1)[-1]}) from None
    plan = TreatmentPlan.objects.create(
        patient=patient,
        protocol=screening.protocol,
        screening=screening,
        start_date=start_date,
        sessions_planned=len(series.sessions),
        interval_min=series.interval_min,
        interval_default=series.interval_default,
        interval_max=series.interval_max,
        maintenance_min=series.maintenance_min,
        maintenance_max=series.maintenance_max,
        concerns=concerns,
        zones=zones,
        knowledge_version=k.version,
        created_by=actor.user,
    )
    plan.products.set(products)
    record(
        actor,
        "create",
        plan,
        patient=patient,
        summary=f"{plan.protocol}, {plan.sessions_planned} sessions",
    )
    return plan


@transaction.atomic
def start_session(
    actor: Actor, plan: TreatmentPlan, at: dt.datetime | None = None
) -> TreatmentSession:
    """Open the next session of the plan, if the ready-to-treat gate passes."""
    actor.require("record_clinical")
    at = at or timezone.now()
    locked = TreatmentPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != PlanStatus.ACTIVE:
        raise Refused(_("This plan is not active."))
    if locked.sessions.filter(status=SessionStatus.OPEN).exists():
        raise Refused(_("A session of this plan is still open: sign it off first."))
    items = check_gate(actor, locked, at)
    missing = [i for i in items if not i.ok]
    if missing:
        raise Refused([i.message for i in missing])
    number = locked.sessions.count() + 1
    session = TreatmentSession.objects.create(
        plan=locked,
        patient=locked.patient,
        number=number,
        protocol=locked.protocol,
        started_at=at,
        started_by=actor.user,
        gate=[i.as_dict() for i in items],
    )
    record(actor, "create", session, patient=locked.patient, summary=f"session {number} started")
    return session


def _lock(session: TreatmentSession) -> TreatmentSession:
    return (
        TreatmentSession.objects.select_for_update()
        .select_related("plan", "patient")
        .get(pk=session.pk)
    )


def _validate_point(k, session: TreatmentSession, data: dict[str, Any], at: dt.datetime):
    errors, warnings = charting.check_point(
        k,
        session.protocol,
        stage=data.get("stage"),
        zone=data["zone"],
        technique=data["technique"],
        depth_mm=Decimal(data["depth_mm"]),
        volume_ml=Decimal(data["volume_ml"]),
    )
    lot = data["lot"]
    if lot.product.clinic_id != session.patient.clinic_id:
        errors["lot"] = _("This lot belongs to another clinic.")
    elif not session.plan.products.filter(pk=lot.product_id).exists():
        errors["lot"] = _(
            "%(p)s is not in this plan's cocktail (screening and consent did not cover it)."
        ) % {"p": lot.product.name}
    else:
        reasons = unusable_reasons(lot, at)
        if reasons:
            errors["lot"] = " ".join(reasons)
    if not (0 <= float(data["x"]) <= DIAGRAM_WIDTH and 0 <= float(data["y"]) <= DIAGRAM_HEIGHT):
        errors["x"] = _("The point must lie on the diagram.")
    if errors:
        raise Refused(errors)
    return warnings


def _take(
    actor: Actor, lot, volume: Decimal, point: SessionPoint, patient, at: dt.datetime
) -> None:
    try:
        use_stock(actor, lot, volume, str(point.code), at=at, patient=patient)
    except Refused as exc:
        raise Refused({"lot": " ".join(exc.messages)}) from None


@transaction.atomic
def add_point(
    actor: Actor, session: TreatmentSession, data: dict[str, Any], at: dt.datetime | None = None
):
    """Chart one point before sign-off; the lot's stock goes down by its volume."""
    actor.require("record_clinical")
    at = at or timezone.now()
    session = _lock(session)
    if session.is_signed:
        raise Refused(_("This session is signed off: record an amendment instead."))
    k = load()
    warnings = _validate_point(k, session, data, at)
    point = SessionPoint.objects.create(
        session=session,
        stage=data.get("stage"),
        view=data["view"],
        x=data["x"],
        y=data["y"],
        zone=data["zone"],
        side=point_side(k, session, data),
        depth_mm=data["depth_mm"],
        technique=data["technique"],
        volume_ml=data["volume_ml"],
        lot=data["lot"],
        created_by=actor.user,
    )
    _take(actor, data["lot"], Decimal(data["volume_ml"]), point, session.patient, at)
    session.revision += 1
    session.save(update_fields=["revision"])
    record(
        actor,
        "create",
        point,
        patient=session.patient,
        summary=f"point {point.zone} {point.volume_ml} mL",
    )
    return point, warnings


@transaction.atomic
def add_point_both_sides(
    actor: Actor, session: TreatmentSession, data: dict[str, Any], at: dt.datetime | None = None
):
    """The point and, when it lies on one side of the patient, the same point on the other
    side (the mirror image of its place): both charted, each checked like a click, or
    neither. A point on the midline is charted once. Returns (points, warnings)."""
    point, warnings = add_point(actor, session, data, at)
    k = load()
    other = diagram.mirror(k, session.protocol, point.view, point.x, point.y)
    if other is None or point.side == diagram.MIDLINE:
        return [point], warnings
    view, x, y = other
    hit = diagram.locate(k, session.protocol, view, x, y)
    if hit is None:
        raise Refused(_("The other side of this spot is outside the protocol's zones."))
    twin, more = add_point(
        actor, session, {**data, "view": view, "x": x, "y": y, "zone": hit[0], "side": hit[1]}, at
    )
    return [point, twin], warnings + [w for w in more if w not in warnings]


def point_side(k, session: TreatmentSession, data: dict[str, Any]) -> str:
    """The patient's side of a point: as located from the click, else from its place."""
    return data.get("side") or diagram.side_of(
        k, session.protocol, data["view"], float(data["x"]), float(data["y"])
    )


@transaction.atomic
def move_point(
    actor: Actor, point: SessionPoint, *, x: float, y: float, view: str | None = None
) -> SessionPoint:
    """Move a point before sign-off. Its zone is where it lands, checked like a new point."""
    actor.require("record_clinical")
    session = _lock(point.session)
    if session.is_signed:
        raise Refused(_("This session is signed off: record an amendment instead."))
    if not (0 <= x <= DIAGRAM_WIDTH and 0 <= y <= DIAGRAM_HEIGHT):
        raise Refused({"x": _("The point must lie on the diagram.")})
    k = load()
    view = view or point.view
    hit = diagram.locate(k, session.protocol, view, x, y)
    if hit is None:
        raise Refused({"x": _("That spot is in none of this protocol's zones.")})
    zone, side = hit
    if zone != point.zone:
        errors, _warnings = charting.check_point(
            k,
            session.protocol,
            stage=point.stage,
            zone=zone,
            technique=point.technique,
            depth_mm=point.depth_mm,
            volume_ml=point.volume_ml,
        )
        if errors:
            raise Refused(errors)
    before = f"{point.zone} {point.view} {point.x:.1f},{point.y:.1f}"
    point.x, point.y, point.view, point.zone, point.side = x, y, view, zone, side
    point.save(update_fields=["x", "y", "view", "zone", "side"])
    session.revision += 1
    session.save(update_fields=["revision"])
    record(
        actor,
        "update",
        point,
        patient=session.patient,
        summary=f"point moved: {before} -> {zone} {view} {x:.1f},{y:.1f}",
    )
    return point


@transaction.atomic
def remove_point(actor: Actor, point: SessionPoint) -> None:
    actor.require("record_clinical")
    session = _lock(point.session)
    if session.is_signed:
        raise Refused(_("This session is signed off: record an amendment instead."))
    return_stock(actor, point.lot, point.volume_ml, str(point.code), patient=session.patient)
    record(
        actor, "update", session, patient=session.patient, summary=f"point removed: {point.zone}"
    )
    point.delete()
    session.revision += 1
    session.save(update_fields=["revision"])


DETAILS = ("anaesthetic_applied_at", "anaesthetic_removed_at", "pain_score", "reactions", "notes")


def anaesthetic_warning(session: TreatmentSession) -> str | None:
    """A warning when the cream stayed on for less than the protocol's lead time."""
    cream = load().protocols[session.protocol].anaesthetic_cream
    if cream is None or not (session.anaesthetic_applied_at and session.anaesthetic_removed_at):
        return None
    minutes = (session.anaesthetic_removed_at - session.anaesthetic_applied_at).total_seconds() / 60
    if minutes < cream.lead_minutes.min:
        return _(
            "The anaesthetic cream was on for %(m)d minutes; this protocol's lead time is %(lo)d-%(hi)d minutes."
        ) % {"m": minutes, "lo": cream.lead_minutes.min, "hi": cream.lead_minutes.max}
    return None


def _check_details(data: dict[str, Any]) -> None:
    errors = {}
    a, r = data.get("anaesthetic_applied_at"), data.get("anaesthetic_removed_at")
    if r and not a:
        errors["anaesthetic_applied_at"] = _("Give the time the cream was applied.")
    elif a and r and r < a:
        errors["anaesthetic_removed_at"] = _("The cream cannot be removed before it was applied.")
    pain = data.get("pain_score")
    if pain is not None and not 0 <= pain <= 10:
        errors["pain_score"] = _("The pain score runs from 0 to 10.")
    if errors:
        raise Refused(errors)


@transaction.atomic
def update_details(
    actor: Actor, session: TreatmentSession, data: dict[str, Any]
) -> TreatmentSession:
    actor.require("record_clinical")
    session = _lock(session)
    if session.is_signed:
        raise Refused(_("This session is signed off: record an amendment instead."))
    _check_details(data)
    for field in DETAILS:
        if field in data:
            setattr(session, field, data[field])
    session.revision += 1
    session.save(update_fields=[*[f for f in DETAILS if f in data], "revision"])
    record(actor, "update", session, patient=session.patient, summary="session details")
    return session


def snapshot(session: TreatmentSession) -> dict[str, Any]:
    """The record as it stands, in plain JSON (kept at sign-off beside later amendments)."""
    points = session.points.select_related("lot__product").order_by("stage", "id")
    return {
        "revision": session.revision,
        "anaesthetic_applied_at": session.anaesthetic_applied_at.isoformat()
        if session.anaesthetic_applied_at
        else None,
        "anaesthetic_removed_at": session.anaesthetic_removed_at.isoformat()
        if session.anaesthetic_removed_at
        else None,
        "pain_score": session.pain_score,
        "reactions": session.reactions,
        "notes": session.notes,
        "points": [_point_dict(p) for p in points],
    }


def _point_dict(p: SessionPoint) -> dict[str, Any]:
    return {
        "code": str(p.code),
        "stage": p.stage,
        "view": p.view,
        "x": p.x,
        "y": p.y,
        "zone": p.zone,
        "side": p.side,
        "depth_mm": str(p.depth_mm),
        "technique": p.technique,
        "volume_ml": str(p.volume_ml),
        "lot": str(p.lot.code),
        "lot_number": p.lot.lot_number,
        "product": p.lot.product.name,
    }


@transaction.atomic
def sign_off(actor: Actor, session: TreatmentSession, *, recall_note: str = "") -> TreatmentSession:
    """Lock the record. Points of a physician-only stage need a physician's signature; a
    session inside the minimum interval is refused; points from a recalled lot need a
    physician's note (see recalls.py)."""
    actor.require("record_clinical")
    session = _lock(session)
    if session.is_signed:
        raise Refused(
            _("Already signed off by %(who)s at %(when)s.")
            % {
                "who": session.signed_by.display_name if session.signed_by else "?",
                "when": clinicday.shown(session.signed_at, actor.clinic),
            }
        )
    stages = set(session.points.exclude(stage=None).values_list("stage", flat=True))
    if charting.requires_physician(load(), session.protocol, stages) and not actor.can(
        "sign_protocol_decision"
    ):
        raise Refused(
            _(
                "This session has points of a stage only a physician may sign (a prescription-only product)."
            )
        )
    if not session.points.exists():
        raise Refused(_("Chart at least one point before signing off."))
    waits = intervals.waits_for_sign_off(session, actor.clinic)
    if waits:
        raise Refused([w.message for w in waits])
    recall = recalls.acknowledgement(actor, session, recall_note)
    session.status = SessionStatus.SIGNED
    session.signed_at = timezone.now()
    session.signed_by = actor.user
    session.revision += 1
    session.signed_record = snapshot(session)
    if recall:
        session.signed_record["recall_acknowledged"] = recall
    session.save(update_fields=["status", "signed_at", "signed_by", "revision", "signed_record"])
    plan = session.plan
    if plan.sessions.filter(status=SessionStatus.SIGNED).count() >= plan.sessions_planned:
        plan.status = PlanStatus.COMPLETED
        plan.save(update_fields=["status"])
    record(
        actor,
        "sign",
        session,
        patient=session.patient,
        summary=f"session {session.number} signed off"
        + (
            f"; recalled lot {', '.join(recall['lot_numbers'])}: {recall['note']}" if recall else ""
        ),
    )
    # follow-up's aftercare sheet and check-ins, in this transaction (e-mail after commit)
    signals.session_signing.send(sender=TreatmentSession, session=session, actor=actor)
    transaction.on_commit(
        lambda: signals.session_signed.send(sender=TreatmentSession, session=session, actor=actor)
    )
    return session
