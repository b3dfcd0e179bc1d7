"""The dashboard's numbers: each a few aggregate queries over the chosen range, scoped to
the clinic (and to one practitioner when chosen). No patient is named here."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncWeek

from mesoclinic.billing.models import Payment
from mesoclinic.followup.models import AdverseEvent, GaisScore
from mesoclinic.lib import clinicday, poisson
from mesoclinic.products.access import catalogue
from mesoclinic.products.models import Lot
from mesoclinic.scheduling.models import Appointment
from mesoclinic.treatments.models import SessionPoint, TreatmentPlan, TreatmentSession


@dataclass
class Filters:
    start: dt.date
    end: dt.date  # inclusive
    practitioner: object | None = None  # a User
    cache: dict = field(default_factory=dict)  # shared scans of one page


def bounds(actor, f: Filters):
    lo, _ = clinicday.day_bounds(f.start, actor.clinic)
    _, hi = clinicday.day_bounds(f.end, actor.clinic)
    return lo, hi


def weeks(f: Filters) -> list[dt.date]:
    first = clinicday.week_start(f.start)
    out = []
    while first <= f.end:
        out.append(first)
        first += dt.timedelta(days=7)
    return out


def _per_week(actor, f, rows) -> dict[dt.date, int]:
    zone = clinicday.zone(actor.clinic)
    counts: dict[dt.date, int] = defaultdict(int)
    for week, value in rows:
        if week is not None:
            counts[week.astimezone(zone).date() if isinstance(week, dt.datetime) else week] += (
                value or 0
            )
    return counts


def session_filter(actor, f, prefix: str = "") -> dict:
    """The signed sessions of the range (and practitioner), as filter arguments, so other
    tables join to the sessions directly instead of through a subquery."""
    lo, hi = bounds(actor, f)
    where = {
        f"{prefix}patient__clinic": actor.clinic,
        f"{prefix}status": "signed",
        f"{prefix}signed_at__gte": lo,
        f"{prefix}signed_at__lt": hi,
    }
    if f.practitioner:
        where[f"{prefix}signed_by"] = f.practitioner
    return where


def _signed_sessions(actor, f):

    return TreatmentSession.objects.filter(**session_filter(actor, f))


def signed_counts(actor, f) -> list[tuple]:
    """(week, protocol, signed sessions): one scan of the range's sessions, shared by the
    sessions figure and the side-effect rates of one page."""
    if f.cache.get("signed") is None:
        zone = clinicday.zone(actor.clinic)
        f.cache["signed"] = list(
            _signed_sessions(actor, f)
            .annotate(w=TruncWeek("signed_at", tzinfo=zone))
            .order_by()
            .values("w", "protocol")
            .annotate(n=Count("id"))
            .values_list("w", "protocol", "n")
        )
    return f.cache["signed"]


def sessions_per_week(actor, f) -> dict[dt.date, int]:
    return _per_week(actor, f, [(w, n) for w, _p, n in signed_counts(actor, f)])


def takings_per_week(actor, f) -> dict[dt.date, int]:

    zone = clinicday.zone(actor.clinic)
    lo, hi = bounds(actor, f)
    qs = Payment.objects.filter(clinic=actor.clinic, taken_at__gte=lo, taken_at__lt=hi)
    if f.practitioner:
        qs = qs.filter(practitioner=f.practitioner)
    rows = (
        qs.annotate(w=TruncWeek("taken_at", tzinfo=zone))
        .order_by()
        .values("w")
        .annotate(
            i=Sum("amount", filter=~Q(kind="refund")), o=Sum("amount", filter=Q(kind="refund"))
        )
        .values_list("w", "i", "o")
    )
    return _per_week(actor, f, [(w, (i or 0) - (o or 0)) for w, i, o in rows])


def no_shows(actor, f) -> dict:

    zone = clinicday.zone(actor.clinic)
    lo, hi = bounds(actor, f)
    qs = Appointment.objects.filter(clinic=actor.clinic, start__gte=lo, start__lt=hi).exclude(
        status="cancelled"
    )
    if f.practitioner:
        qs = qs.filter(practitioner__user=f.practitioner)
    rows = list(
        qs.annotate(w=TruncWeek("start", tzinfo=zone))
        .order_by()
        .values("w")
        .annotate(n=Count("id"), missed=Count("id", filter=Q(status="no_show")))
        .values_list("w", "n", "missed")
    )
    return {
        "per_week": _per_week(actor, f, [(w, m) for w, _n, m in rows]),
        "total": sum(n for _w, n, _m in rows),
        "missed": sum(m for _w, _n, m in rows),
    }


def series(actor, f) -> dict:
    """Plans started in the range: how many finished their series, stopped, or are still
    going; and of the patients who finished one, how many came back (a later plan)."""

    plans = TreatmentPlan.objects.filter(
        patient__clinic=actor.clinic, start_date__gte=f.start, start_date__lte=f.end
    )
    if f.practitioner:
        plans = plans.filter(created_by=f.practitioner)
    later = TreatmentPlan.objects.filter(
        patient=OuterRef("patient"), created_at__gt=OuterRef("created_at")
    )
    rows = (
        plans.annotate(back=Exists(later))
        .order_by()
        .values("status")
        .annotate(
            n=Count("id"),
            patients=Count("patient", distinct=True),
            came_back=Count("patient", distinct=True, filter=Q(back=True)),
        )
    )
    by_status = {r["status"]: r for r in rows}
    done = by_status.get("completed", {})
    return {
        "completed": done.get("n", 0),
        "stopped": by_status.get("stopped", {}).get("n", 0),
        "active": by_status.get("active", {}).get("n", 0),
        "patients_finished": done.get("patients", 0),
        "came_back": done.get("came_back", 0),
    }


def lot_use(actor, f) -> dict[int, tuple[int, Decimal]]:
    """lot id -> (signed sessions that used it, volume used): one scan of the points of
    the range, shared by the side-effect and product figures of one page."""
    if f.cache.get("lot_use") is None:
        f.cache["lot_use"] = {
            lot: (n, v)
            for lot, n, v in SessionPoint.objects.filter(**session_filter(actor, f, "session__"))
            .order_by()
            .values("lot")
            .annotate(n=Count("session", distinct=True), v=Sum("volume_ml"))
            .values_list("lot", "n", "v")
        }
    return f.cache["lot_use"]


def _lots(actor, f) -> dict[int, tuple]:
    """lot id -> (number, product name, code, product id) of the lots used in the range."""
    if f.cache.get("lots") is None:
        f.cache["lots"] = {
            pk: (number, name, code, product)
            for pk, number, name, code, product in Lot.objects.filter(
                pk__in=list(lot_use(actor, f)), product__clinic=actor.clinic
            ).values_list("pk", "lot_number", "product__name", "code", "product_id")
        }
    return f.cache["lots"]


def side_effects(actor, f) -> dict:
    """Side effects per 100 signed sessions, by protocol and by lot; a lot is flagged when
    its count stands out against the rest of the clinic (lib/poisson.py)."""

    per_protocol_sessions: dict[str, int] = defaultdict(int)
    for _w, protocol, n in signed_counts(actor, f):
        per_protocol_sessions[protocol] += n
    events = AdverseEvent.objects.filter(
        clinic=actor.clinic, **session_filter(actor, f, "session__")
    )
    per_protocol_events = dict(
        events.order_by().values("protocol").annotate(n=Count("id")).values_list("protocol", "n")
    )
    protocols = [
        {
            "protocol": p,
            "sessions": n,
            "events": per_protocol_events.get(p, 0),
            "rate": Decimal(100 * per_protocol_events.get(p, 0)) / n,
        }
        for p, n in sorted(per_protocol_sessions.items())
    ]
    lot_sessions = {lot: n for lot, (n, _v) in lot_use(actor, f).items()}
    lot_events = dict(
        events.order_by()
        .values("lots")
        .annotate(n=Count("id", distinct=True))
        .values_list("lots", "n")
    )
    total_sessions = sum(per_protocol_sessions.values())
    total_events = sum(per_protocol_events.values())

    names = _lots(actor, f)
    lots = []
    for lot_id, n in lot_sessions.items():
        k = lot_events.get(lot_id, 0)
        flagged, p, expected = poisson.stands_out(k, n, total_events - k, total_sessions - n)
        number, product, code, _product_id = names[lot_id]
        lots.append(
            {
                "lot": number,
                "product": product,
                "code": code,
                "sessions": n,
                "events": k,
                "rate": Decimal(100 * k) / n,
                "expected": expected,
                "p": p,
                "flagged": flagged,
            }
        )
    lots.sort(key=lambda r: (not r["flagged"], -r["rate"], r["lot"]))
    return {
        "protocols": protocols,
        "lots": lots,
        "sessions": total_sessions,
        "events": total_events,
        "rate": Decimal(100 * total_events) / total_sessions if total_sessions else Decimal(0),
    }


def products(actor, f) -> list[dict]:
    """Use in the range and a forecast: weeks of usable stock left at the range's pace."""

    per_lot = lot_use(actor, f)
    names = _lots(actor, f)
    used: dict[int, Decimal] = defaultdict(Decimal)
    for lot_id, (_n, volume) in per_lot.items():
        used[names[lot_id][3]] += volume or Decimal(0)
    n_weeks = max(len(weeks(f)), 1)
    out = []
    for p in catalogue(actor):
        use = used.get(p.pk) or Decimal(0)
        per_week = use / n_weeks
        left = getattr(p, "usable_remaining", None) or Decimal(0)
        out.append(
            {
                "product": p,
                "used": use,
                "per_week": per_week,
                "stock": left,
                "weeks_left": (left / per_week) if per_week else None,
            }
        )
    out.sort(key=lambda r: (r["weeks_left"] is None, r["weeks_left"] or 0))
    return out


def outcomes(actor, f) -> list[dict]:
    """GAIS per protocol (1 = very much improved .. 5 = worse), scored in the range."""

    qs = GaisScore.objects.filter(
        patient__clinic=actor.clinic, rated_on__gte=f.start, rated_on__lte=f.end
    )
    if f.practitioner:
        qs = qs.filter(session__signed_by=f.practitioner)
    rows = (
        qs.values("session__protocol", "rater")
        .annotate(n=Count("id"), mean=Avg("score"), improved=Count("id", filter=Q(score__lte=3)))
        .order_by("session__protocol", "rater")
    )
    return [
        {
            "protocol": r["session__protocol"],
            "rater": r["rater"],
            "n": r["n"],
            "mean": r["mean"],
            "improved": r["improved"],
        }
        for r in rows
    ]
