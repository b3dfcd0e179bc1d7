"""Every write of screenings: one transaction, one audit entry."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import msgspec
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from mesoclinic.accounts.actor import Actor
from mesoclinic.audit.actions import record as audit
from mesoclinic.engine.inputs import InputError, Product
from mesoclinic.engine.knowledge import Knowledge, load
from mesoclinic.engine.screening import screen
from mesoclinic.lib import clinicday
from mesoclinic.lib.refusals import Refused
from mesoclinic.patients import access as patients_access

from . import access
from .models import Decision, ScreeningOverride, ScreeningRecord

MIN_REASON = 10
MAX_REASON = 4000
MAX_PRODUCTS = 20
MAX_AHEAD_DAYS = 366


_UNANSWERED = object()


def _date(value: Any) -> Any:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return _UNANSWERED


def _fact_value(fact, value: Any) -> Any:
    """An intake answer in the engine's type; a malformed one counts as unanswered, so the
    engine asks for a review rather than reading it as a no."""
    if fact.type == "bool":
        return value if isinstance(value, bool) else _UNANSWERED
    if fact.type == "enum":
        return value if isinstance(value, str) and value in fact.values else _UNANSWERED
    if fact.type in ("date", "date_or_null"):
        return _date(value)
    if fact.type in ("substances", "devices"):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return value if ok else _UNANSWERED
    return _UNANSWERED


def facts_of(k: Knowledge, patient, intake) -> dict[str, Any]:
    """The screening facts of an intake version (absent key = unanswered). The date of birth
    comes from the patient's demographics, the record the front desk keeps correct."""
    answers = intake.answers if intake is not None else {}
    facts = {}
    for fid, fact in k.facts.items():
        if fid in answers:
            value = _fact_value(fact, answers[fid])
            if value is not _UNANSWERED:
                facts[fid] = value
    facts["birth_date"] = patient.birth_date
    return facts


def _products(products: list[dict] | None) -> list[Product]:
    if not products:
        return []
    try:
        items = msgspec.convert(products, list[Product])
    except msgspec.ValidationError as exc:
        raise Refused(
            {"products": _("The products are not valid (%(error)s).") % {"error": exc}}
        ) from None
    if len(items) > MAX_PRODUCTS:
        raise Refused({"products": _("List at most %(n)s products.") % {"n": MAX_PRODUCTS}})
    for p in items:
        if not p.name.strip() or not p.ingredients or not all(i.strip() for i in p.ingredients):
            raise Refused({"products": _("Every product needs a name and its ingredients.")})
    return items


def _stored(p: Product) -> dict[str, Any]:
    out: dict[str, Any] = {"name": p.name, "ingredients": list(p.ingredients)}
    if p.vehicle:
        out["vehicle"] = p.vehicle
    return out


# Where the patient's earlier sessions per ingredient class come from: treatments registers
# its reader here (apps.py), so screening never names the app above it.
ClassHistory = Callable[[object, dt.date, object], dict]
_class_history: list[ClassHistory] = []


def register_class_history(reader: ClassHistory) -> None:
    if reader not in _class_history:
        _class_history.append(reader)


def class_history(patient, before: dt.date, clinic) -> dict:
    """Ingredient class -> the day of the patient's last session with it before `before`."""
    latest: dict = {}
    for reader in _class_history:
        for cls, day in reader(patient, before, clinic).items():
            if cls not in latest or day > latest[cls]:
                latest[cls] = day
    return latest


@transaction.atomic
def screen_patient(
    actor: Actor,
    patient,
    protocol: str,
    planned_date: dt.date,
    products: list[dict] | None = None,
    *,
    lang: str = "en",
) -> ScreeningRecord:
    """Screen the patient's current medical history for `protocol` on `planned_date` and
    store the engine's answer whole, with the knowledge version. Without any intake the
    screening is still made: every question is unanswered, so it asks for a review."""
    actor.require("record_clinical")
    k = load()
    # fresh from the database, in the actor's clinic: the intake screened is the current one
    patient = patients_access.get_patient(actor, patient.code, audit=None)
    if protocol not in k.protocols:
        raise Refused({"protocol": _("Choose a protocol from the list.")})
    if not isinstance(planned_date, dt.date) or isinstance(planned_date, dt.datetime):
        raise Refused({"planned_date": _("Enter a valid date.")})
    today = clinicday.today(actor.clinic)
    if planned_date < today:
        raise Refused(
            {"planned_date": _("The planned date has passed: screen for today or later.")}
        )
    if planned_date > today + dt.timedelta(days=MAX_AHEAD_DAYS):
        raise Refused({"planned_date": _("The planned date is more than a year ahead.")})
    items = _products(products)
    intake = patient.current_intake
    try:
        last = class_history(patient, planned_date, actor.clinic)  # lipolytics keep 28 days
        result = screen(k, protocol, planned_date, facts_of(k, patient, intake), items, last, lang)
    except InputError as exc:
        message = _("The engine refused the request: %(error)s") % {"error": exc}
        field = "planned_date" if exc.field.endswith("birth_date") else "__all__"
        raise Refused({field: message}) from None
    screening = ScreeningRecord.objects.create(
        patient=patient,
        protocol=protocol,
        planned_date=planned_date,
        products=[_stored(p) for p in items],
        intake=intake,
        result=result.as_dict(k),
        decision=result.decision,
        defer_until=result.defer_until,
        knowledge_version=result.knowledge_version,
        language=lang,
        created_by=actor.user,
    )
    audit(
        actor,
        "create",
        screening,
        patient=patient,
        summary=f"screened {protocol} for {planned_date.isoformat()}: {result.decision}",
        detail={
            "protocol": protocol,
            "planned_date": planned_date.isoformat(),
            "decision": result.decision,
            "knowledge_version": result.knowledge_version,
            "intake": intake.number if intake else None,
        },
    )
    return screening


def why_not_override(screening: ScreeningRecord, patient, today: dt.date) -> str | None:
    """None when a physician may override this screening's review; else the reason why not."""
    if screening.decision == Decision.CONTRAINDICATED:
        return _("A contraindication can never be overridden.")
    if screening.decision != Decision.REVIEW:
        return _("Only a screening that asks for a physician's review can be overridden.")
    if screening.override_or_none is not None:
        return _("This screening has already been overridden.")
    status = access.currency(screening, patient, today)
    if status == access.INTAKE_CHANGED:
        return _("The medical history changed after this screening: screen again.")
    if status == access.PAST:
        return _("The date of this screening has passed: screen again.")
    return None


@transaction.atomic
def override_review(actor: Actor, screening: ScreeningRecord, reason: str) -> ScreeningOverride:
    """A physician clears the `review` findings of a screening with a written reason. The
    decision in force becomes the most restrictive remaining finding (defer or eligible)."""
    actor.require("override_screening")
    screening = access.get_screening(actor, screening.code, audit_as=None)  # fresh, own clinic
    refusal = why_not_override(screening, screening.patient, clinicday.today(actor.clinic))
    if refusal:
        raise Refused(refusal)
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise Refused(
            {
                "reason": _("Write the reason for the override (at least %(n)s characters).")
                % {"n": MIN_REASON}
            }
        )
    if len(reason) > MAX_REASON:
        raise Refused({"reason": _("Keep the reason under %(n)s characters.") % {"n": MAX_REASON}})
    covers = [f["rule"] for f in screening.findings if f["decision"] == Decision.REVIEW]
    decision = access.decision_without_reviews(screening.findings)
    try:
        with transaction.atomic():
            override = ScreeningOverride.objects.create(
                screening=screening,
                physician=actor.user,
                reason=reason,
                covers=covers,
                decision=decision,
            )
    except IntegrityError:  # another physician was a moment faster
        raise Refused(_("This screening has already been overridden.")) from None
    audit(
        actor,
        "override",
        override,
        patient=screening.patient,
        summary=f"review of screening {screening.code} overridden: now {decision}",
        detail={"screening": str(screening.code), "covers": covers, "decision": decision},
    )
    return override
