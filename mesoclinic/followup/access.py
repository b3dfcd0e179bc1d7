"""Every read of aftercare sheets, check-ins, adverse events, alerts and GAIS scores.

Staff reads are scoped to the actor's clinic and audited. The `own_*` reads serve the
patient portal: they take the patient the portal resolved from the signed-in user, and
every query filters by that patient, so another patient's code finds nothing (404).
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from mesoclinic.accounts.actor import Actor
from mesoclinic.audit.actions import record
from mesoclinic.lib import clinicday
from mesoclinic.products.models import Lot, Product

from . import policy
from .models import RESOLVED, AdverseEvent, AftercareSheet, CheckIn, ClinicAlert, GaisScore

SEVERAL = 2  # reports on one lot that make it stand out in the register


def _get(qs: QuerySet, code, what: str):
    try:
        return qs.get(code=code)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404(f"no such {what}") from None


# --- staff -------------------------------------------------------------------------------


def _events(actor: Actor) -> QuerySet[AdverseEvent]:
    return AdverseEvent.objects.filter(clinic=actor.clinic).select_related(
        "patient", "session", "reported_by"
    )


def get_event(actor: Actor, code, *, audit: str | None = "view") -> AdverseEvent:
    policy.require(actor, "view_adverse_events")
    event = _get(_events(actor).prefetch_related("lots__product", "alerts"), code, "event")
    if audit:
        record(actor, audit, event, patient=event.patient)
    return event


@dataclass
class Register:
    events: list[AdverseEvent]
    lot_counts: dict[int, dict[str, int]] = field(default_factory=dict)  # lot pk -> counts
    flagged: list[dict[str, Any]] = field(default_factory=list)  # lots with several reports


def lot_report_counts(actor: Actor) -> dict[int, dict[str, int]]:
    """Reports and distinct patients per lot, over the clinic's whole register."""
    through = AdverseEvent.lots.through
    rows = (
        through.objects.filter(adverseevent__clinic=actor.clinic)
        .values("lot_id")
        .annotate(
            reports=Count("adverseevent_id", distinct=True),
            patients=Count("adverseevent__patient_id", distinct=True),
        )
    )
    return {r["lot_id"]: {"reports": r["reports"], "patients": r["patients"]} for r in rows}


def register(actor: Actor, filters: dict[str, Any], *, audit: bool = True) -> Register:
    """The clinic's adverse events, newest first, filtered by protocol, product, lot, CTCAE
    grade, triage level and date range; lots with several reports are flagged. A fixed
    number of queries, however many events."""
    policy.require(actor, "view_adverse_events")
    qs = _events(actor)
    if filters.get("protocol"):
        qs = qs.filter(protocol=filters["protocol"])
    if filters.get("product"):
        qs = qs.filter(lots__product__code=filters["product"])
    if filters.get("lot"):
        qs = qs.filter(lots__code=filters["lot"])
    grade = filters.get("grade")
    if grade == "none":
        qs = qs.filter(ctcae_grade__isnull=True)
    elif grade:
        qs = qs.filter(ctcae_grade=int(grade))
    if filters.get("level"):
        qs = qs.filter(level=filters["level"])
    if filters.get("since"):  # whole days on the clinic's clock
        qs = qs.filter(reported_at__gte=clinicday.day_start(filters["since"], actor.clinic))
    if filters.get("until"):
        qs = qs.filter(reported_at__lt=clinicday.day_end(filters["until"], actor.clinic))
    events = list(qs.distinct().prefetch_related("lots__product"))
    counts = lot_report_counts(actor)
    flagged_lots = {}
    for event in events:
        for lot in event.lots.all():
            c = counts.get(lot.pk, {"reports": 0, "patients": 0})
            lot.reports, lot.patients = c["reports"], c["patients"]
            lot.flagged = c["reports"] >= SEVERAL
            if lot.flagged:
                flagged_lots[lot.pk] = {"lot": lot, **c}
        event.flagged = any(lot.flagged for lot in event.lots.all())
    if audit:
        record(
            actor,
            "view",
            summary=f"adverse-event register: {len(events)}",
            detail={k: str(v) for k, v in filters.items() if v},
        )
    flagged = sorted(flagged_lots.values(), key=lambda f: (-f["reports"], f["lot"].lot_number))
    return Register(events, counts, flagged)


def filter_choices(actor: Actor) -> dict[str, list]:
    """Products and lots that appear in the clinic's register, for the filter form."""
    policy.require(actor, "view_adverse_events")
    lots = list(
        Lot.objects.filter(adverse_events__clinic=actor.clinic)
        .select_related("product")
        .distinct()
        .order_by("product__name", "lot_number")
    )
    products = list(Product.objects.filter(clinic=actor.clinic).order_by("name"))
    return {"lots": lots, "products": products}


def _alerts(actor: Actor) -> QuerySet[ClinicAlert]:
    return ClinicAlert.objects.filter(clinic=actor.clinic).select_related(
        "adverse_event__patient", "adverse_event__session", "acknowledged_by"
    )


def open_alerts(actor: Actor) -> list[ClinicAlert]:
    policy.require(actor, "view_adverse_events")
    found = list(_alerts(actor).filter(acknowledged_at__isnull=True))
    record(actor, "view", summary=f"open clinic alerts: {len(found)}")
    return found


def recent_acknowledged(actor: Actor, limit: int = 20) -> list[ClinicAlert]:
    policy.require(actor, "view_adverse_events")
    return list(
        _alerts(actor).filter(acknowledged_at__isnull=False).order_by("-acknowledged_at")[:limit]
    )


# The badge's count is kept this long in the cache (issue 18: not a COUNT on every page);
# the badge polls every 30 s with fresh=True, and raising or acknowledging an alert forgets
# the count, so a page never shows a count older than this.
ALERT_COUNT_SECONDS = 30


def _alert_count_key(clinic) -> str:
    return f"followup:open-alerts:{clinic.code}"


def open_alert_count(actor: Actor | None, *, fresh: bool = False) -> int:
    """For the badge in the navigation: 0 for anyone who may not see alerts. Cached per
    clinic for ALERT_COUNT_SECONDS unless `fresh` (the badge's own poll)."""
    if not policy.can(actor, "view_adverse_events"):
        return 0
    key = _alert_count_key(actor.clinic)
    if not fresh:
        count = cache.get(key)
        if count is not None:
            return count
    count = ClinicAlert.objects.filter(clinic=actor.clinic, acknowledged_at__isnull=True).count()
    cache.set(key, count, ALERT_COUNT_SECONDS)
    return count


def forget_alert_count(clinic) -> None:
    """An alert was raised or acknowledged: the next page counts again (now, and once the
    change is committed, so no request caches the count from before it)."""
    key = _alert_count_key(clinic)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def get_alert(actor: Actor, code) -> ClinicAlert:
    policy.require(actor, "view_adverse_events")
    return _get(_alerts(actor), code, "alert")


def get_checkin(actor: Actor, code) -> CheckIn:
    actor.require("view_clinical")
    checkin = _get(
        CheckIn.objects.filter(patient__clinic=actor.clinic).select_related("patient", "session"),
        code,
        "check-in",
    )
    record(actor, "view", checkin, patient=checkin.patient)
    return checkin


def for_chart(actor: Actor, patient) -> dict[str, list]:
    """The chart panel's reads: adverse events, check-ins and GAIS scores (4 queries)."""
    actor.require("view_clinical")
    if patient.clinic_id != actor.clinic.pk:
        raise Http404("no such patient")
    return {
        "events": list(
            AdverseEvent.objects.filter(patient=patient)
            .select_related("session")
            .prefetch_related("lots")
        ),
        "checkins": list(CheckIn.objects.filter(patient=patient).select_related("session")),
        "gais": list(GaisScore.objects.filter(patient=patient).select_related("session")),
    }


URGENT_LEVELS = ("urgent", "emergency")


def open_urgent_events(actor: Actor, patient) -> list[AdverseEvent]:
    """For the ready-to-treat gate: the patient's side effects triaged urgent or emergency
    whose outcome is not recorded as resolved, oldest first (one query, audited)."""
    actor.require("view_clinical")
    if patient.clinic_id != actor.clinic.pk:
        raise Http404("no such patient")
    events = list(
        AdverseEvent.objects.filter(clinic=actor.clinic, patient=patient, level__in=URGENT_LEVELS)
        .exclude(outcome__in=RESOLVED)
        .select_related("session")
        .order_by("reported_at", "id")
    )
    if events:
        record(actor, "view", patient, patient=patient, summary="open urgent side effects")
    return events


def sheet_of(actor: Actor, session) -> AftercareSheet | None:
    actor.require("view_clinical")
    if session.patient.clinic_id != actor.clinic.pk:
        raise Http404("no such session")
    return AftercareSheet.objects.filter(session=session).select_related("patient__clinic").first()


# --- the patient's own records (portal) ----------------------------------------------------


def own_sheets(patient) -> list[AftercareSheet]:
    return list(
        AftercareSheet.objects.filter(patient=patient).select_related("patient__clinic", "session")
    )


def own_sheet(patient, session_code) -> AftercareSheet:
    """The aftercare sheet of the patient's session with this code."""
    try:
        return AftercareSheet.objects.select_related("patient__clinic", "session").get(
            patient=patient, session__code=session_code
        )
    except (AftercareSheet.DoesNotExist, ValueError, TypeError):
        raise Http404("no such aftercare sheet") from None


def own_checkins(patient, *, open_only: bool = False) -> list[CheckIn]:
    qs = CheckIn.objects.filter(patient=patient).select_related("session")
    if open_only:
        qs = qs.filter(answered_at__isnull=True, due_at__lte=timezone.now())
    return list(qs)


def own_checkin(patient, code) -> CheckIn:
    return _get(
        CheckIn.objects.filter(patient=patient).select_related("session", "patient__clinic"),
        code,
        "check-in",
    )


def own_event(patient, code) -> AdverseEvent:
    return _get(
        AdverseEvent.objects.filter(patient=patient).select_related("session"), code, "report"
    )


def own_events(patient) -> list[AdverseEvent]:
    return list(AdverseEvent.objects.filter(patient=patient).select_related("session"))


def own_gais(patient) -> list[GaisScore]:
    return list(
        GaisScore.objects.filter(patient=patient, rater="patient").select_related("session")
    )


def aftercare_events(patient, *, uids: bool = False) -> list[tuple]:
    """For the patient's iCalendar feed: one event per stored aftercare item, at the moment
    it ends, as (summary, start, end, description), e.g. ("Make-up: allowed again",
    14:30, 14:45, "No make-up ... for 24 hours"). Times are aware, in the clinic's zone;
    each event lasts 15 minutes. Texts are the sheet's, in its language, as stored at
    sign-off. With uids=True each tuple starts with a stable UID for the event."""
    from django.utils import translation
    from django.utils.translation import gettext as _

    out = []
    sheets = AftercareSheet.objects.filter(patient=patient).select_related(
        "patient__clinic", "session"
    )
    for sheet in sheets:
        zone = clinicday.zone(sheet.patient.clinic)
        with translation.override(sheet.language):
            for item in sheet.items.get("items", []):
                until = clinicday.local(dt.datetime.fromisoformat(item["until"]), zone)
                summary = _("%(label)s: allowed again") % {"label": item["label"]}
                event = (summary, until, until + dt.timedelta(minutes=15), item["text"])
                uid = f"aftercare-{sheet.session.code}-{item['id']}@mesoclinic"
                out.append((uid, *event) if uids else event)
    out.sort(key=lambda e: e[2] if uids else e[1])
    return out
