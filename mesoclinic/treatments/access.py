"""Reads of plans, sessions and charted points: scoped to the actor's clinic, audited."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from mesoclinic.accounts.actor import Actor
from mesoclinic.audit.actions import record

from .models import SessionPoint, TreatmentPlan, TreatmentSession


def _plans(actor: Actor) -> QuerySet[TreatmentPlan]:
    return TreatmentPlan.objects.filter(patient__clinic=actor.clinic)


def plans_for(actor: Actor, patient, *, audit: bool = True) -> list[TreatmentPlan]:
    """A patient's plans with their sessions, in two queries however many there are."""
    actor.require("view_clinical")
    plans = list(
        _plans(actor)
        .filter(patient=patient)
        .prefetch_related(
            Prefetch("sessions", queryset=TreatmentSession.objects.order_by("number"))
        )
    )
    if audit:
        record(actor, "view", patient, patient=patient, summary="treatment plans")
    return plans


def get_plan(actor: Actor, code) -> TreatmentPlan:
    actor.require("view_clinical")
    try:
        plan = _plans(actor).select_related("patient", "screening").get(code=code)
    except (TreatmentPlan.DoesNotExist, ValueError, TypeError):
        raise Http404("no such plan") from None
    record(actor, "view", plan, patient=plan.patient)
    return plan


def get_session(actor: Actor, code, *, for_update: bool = False) -> TreatmentSession:
    actor.require("view_clinical")
    qs = TreatmentSession.objects.filter(patient__clinic=actor.clinic).select_related(
        "plan", "patient", "signed_by"
    )
    if for_update:
        qs = qs.select_for_update(of=("self",))
    try:
        session = qs.get(code=code)
    except (TreatmentSession.DoesNotExist, ValueError, TypeError):
        raise Http404("no such session") from None
    if not for_update:
        record(actor, "view", session, patient=session.patient)
    return session


def get_point(actor: Actor, code) -> SessionPoint:
    """A charted point of the actor's clinic, to move or remove (the change is audited)."""
    actor.require("view_clinical")
    point = (
        SessionPoint.objects.select_related("session__patient", "session__plan", "lot__product")
        .filter(session__patient__clinic=actor.clinic, code=code)
        .first()
    )
    if point is None:
        raise Http404("no such point")
    return point


def points_of(session: TreatmentSession) -> list[SessionPoint]:
    return list(session.points.select_related("lot__product").order_by("stage", "id"))


def totals(points: list[SessionPoint]) -> dict[str, dict[str, Decimal]]:
    """Volume per product and per zone."""
    by_product: dict[str, Decimal] = defaultdict(Decimal)
    by_zone: dict[str, Decimal] = defaultdict(Decimal)
    for p in points:
        by_product[p.lot.product.name] += p.volume_ml
        by_zone[p.zone] += p.volume_ml
    return {"product": dict(sorted(by_product.items())), "zone": dict(sorted(by_zone.items()))}


def exposure(actor: Actor, lot) -> list[dict]:
    """Who received lot X: every patient, session and date, one row per session."""
    actor.require("view_lot_exposure")
    rows: dict[int, dict] = {}
    points = (
        SessionPoint.objects.filter(lot=lot, session__patient__clinic=actor.clinic)
        .select_related("session__patient")
        .order_by("session__started_at", "session_id")
    )
    for point in points:
        s = point.session
        row = rows.setdefault(
            s.pk,
            {
                "patient": s.patient,
                "session": s,
                "date": s.started_at,
                "points": 0,
                "volume_ml": Decimal(0),
            },
        )
        row["points"] += 1
        row["volume_ml"] += point.volume_ml
    record(actor, "view", lot, summary=f"lot exposure: {len(rows)} sessions")
    return list(rows.values())


def recalled_exposures(actor: Actor, patient) -> list[SessionPoint]:
    """Points of this patient charted with a lot that has since been recalled."""
    return list(
        SessionPoint.objects.filter(session__patient=patient, lot__recalled_at__isnull=False)
        .select_related("lot__product", "session")
        .order_by("session__started_at")
    )


def last_class_sessions(patient, before, clinic) -> dict:
    """For screening: the date (on the clinic's clock) of the patient's last session, before
    `before`, with a product of each ingredient class (e.g. lipolytic), so minimum intervals
    are enforced."""
    import datetime as dt

    from mesoclinic.engine.knowledge import load
    from mesoclinic.engine.screening import ingredient_classes
    from mesoclinic.lib import clinicday

    k = load()
    latest: dict[str, dt.date] = {}
    rows = (
        SessionPoint.objects.filter(session__patient=patient)
        .values_list("session__started_at", "lot__product__ingredients")
        .distinct()
    )
    for started, ingredients in rows:
        day = clinicday.local_date(started, clinic)
        if day >= before:
            continue
        for cls in ingredient_classes(k, ingredients or []):
            if cls not in latest or day > latest[cls]:
                latest[cls] = day
    return latest


def latest_signed_session(patient) -> TreatmentSession | None:
    """The patient's most recently signed-off session (for aftercare-day answers)."""
    return (
        TreatmentSession.objects.filter(patient=patient, status="signed")
        .exclude(signed_at=None)
        .order_by("-signed_at", "-id")
        .first()
    )
