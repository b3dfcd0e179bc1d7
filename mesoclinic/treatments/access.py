"""Reads of plans, sessions and charted points: scoped to the actor's clinic, audited."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from mesoclinic.accounts.actor import Actor
from mesoclinic.audit.actions import record
from mesoclinic.consent import access as consent_access
from mesoclinic.engine.knowledge import load
from mesoclinic.engine.screening import ingredient_classes
from mesoclinic.lib import clinicday
from mesoclinic.lib.titles import protocol_title

from . import gate
from .models import PlanStatus, SessionPoint, SessionStatus, TreatmentPlan, TreatmentSession


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


def plan_in_clinic(actor: Actor, code) -> TreatmentPlan:
    """A plan of the actor's clinic by its code, without its clinical content checked or
    audited here: the caller (the front desk's booking) checks its own capability and
    audits. 404 for another clinic's plan."""
    try:
        return _plans(actor).select_related("patient__clinic").get(code=code)
    except (TreatmentPlan.DoesNotExist, ValueError, TypeError):
        raise Http404("no such plan") from None


def session_states(plan_ids) -> list[TreatmentSession]:
    """The sessions of these plans: code, plan, number and status only (what the front
    desk may see beside an appointment)."""
    return list(
        TreatmentSession.objects.filter(plan_id__in=plan_ids).only(
            "code", "plan_id", "number", "status"
        )
    )


def session_started(plan: TreatmentPlan, number: int) -> dt.datetime | None:
    """When session `number` of the plan started (None if it has not)."""
    return plan.sessions.filter(number=number).values_list("started_at", flat=True).first()


# --- the patient's own plans and sessions (the portal: a patient actor) ---------------------


def _own_plans(actor: Actor) -> QuerySet[TreatmentPlan]:
    if actor.patient is None:
        raise Http404("no such plan")
    return TreatmentPlan.objects.filter(patient=actor.patient)


def own_active_plans(actor: Actor) -> list[TreatmentPlan]:
    """The patient's active plans with their cocktails."""
    return list(_own_plans(actor).filter(status=PlanStatus.ACTIVE).prefetch_related("products"))


def own_plan(actor: Actor, code) -> TreatmentPlan:
    try:
        return _own_plans(actor).prefetch_related("products").get(code=code)
    except (TreatmentPlan.DoesNotExist, ValueError, TypeError):
        raise Http404("no such plan") from None


def _own_sessions(actor: Actor) -> QuerySet[TreatmentSession]:
    if actor.patient is None:
        raise Http404("no such session")
    return TreatmentSession.objects.filter(patient=actor.patient, status=SessionStatus.SIGNED)


def own_sessions(actor: Actor) -> list[TreatmentSession]:
    """The patient's signed-off sessions, newest first."""
    return list(_own_sessions(actor).select_related("plan").order_by("-signed_at"))


def own_session(actor: Actor, code) -> TreatmentSession:
    try:
        return _own_sessions(actor).select_related("plan", "patient__clinic").get(code=code)
    except (TreatmentSession.DoesNotExist, ValueError, TypeError):
        raise Http404("no such session") from None


# --- the ready-to-treat gate, for the readers above this app --------------------------------


def gate_facts_for_day(actor: Actor, appointments: list, day: dt.date, at: dt.datetime) -> dict:
    """appointment pk -> (screening decision, GateFacts or None): see gate.facts_for_day."""
    return gate.facts_for_day(actor, appointments, day, at)


def gate_missing(facts) -> list[str]:
    """The kinds of the gate's checks 1-4 that fail (screening, consent, patch, lot)."""
    return gate.missing(gate.evaluate(facts))


def own_consents_to_sign(actor: Actor) -> list[dict]:
    """For each of a patient actor's active plans: the protocol, the product classes of its
    cocktail and the gate's consent check for them (the portal)."""
    plans = own_active_plans(actor)
    if not plans:
        return []
    consents = consent_access.own_consents(actor)
    versions = consent_access.text_versions(p.protocol for p in plans)
    out = []
    for plan in plans:
        products = list(plan.products.all())
        classes = sorted({p.product_class for p in products})
        status = consent_access.status_for(
            consents, plan.protocol, classes, versions[plan.protocol]
        )
        facts = gate.GateFacts(actor.patient, plan.protocol, products, None, status)
        out.append(
            {
                "plan": plan,
                "title": protocol_title(plan.protocol),
                "classes": classes,
                "status": status,
                "ready": gate.consent_item(facts).ok,
            }
        )
    return out
