"""How soon a session may follow the last: the plan's series window (the protocol's minimum
interval, lengthened by the cocktail's ingredient classes when the plan was made) since the
last signed session of the plan, and each ingredient class's own minimum (fat-dissolving
substances: 28 days) since the patient's last session with that class, in any plan.

The ready-to-treat gate asks before a session starts; sign-off asks again, for the day the
session was started (so a session opened before this rule, or by a race, is still caught)."""

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from mesoclinic.engine.knowledge import load, text
from mesoclinic.engine.screening import ingredient_classes
from mesoclinic.lib import clinicday
from mesoclinic.lib.language import language

from .models import SessionPoint, SessionStatus, TreatmentPlan, TreatmentSession


@dataclass(frozen=True)
class Wait:
    key: str
    message: str
    fix_url: str


def _book_url(plan: TreatmentPlan) -> str:
    return reverse("scheduling:book_plan", args=[plan.code])


def series_wait(
    plan: TreatmentPlan, day: dt.date, clinic, session: TreatmentSession | None = None
) -> tuple[int, dt.date, Wait | None]:
    """(the session's number, the day its window opens, why `day` is too early or None)."""
    signed = plan.sessions.filter(status=SessionStatus.SIGNED)
    if session is not None:
        number = session.number
        signed = signed.filter(number__lt=session.number)
    else:
        number = plan.sessions.count() + 1
    last = signed.order_by("-number").first()
    if last is None:
        opens = plan.start_date
        if day < opens:
            return (
                number,
                opens,
                Wait(
                    "interval",
                    _("This plan starts on %(date)s: its first session cannot be earlier.")
                    % {"date": formats.date_format(opens, "j F Y")},
                    _book_url(plan),
                ),
            )
        return number, opens, None
    last_day = clinicday.local_date(last.started_at, clinic)
    opens = last_day + dt.timedelta(days=plan.interval_min)
    if day < opens:
        return (
            number,
            opens,
            Wait(
                "interval",
                _(
                    "Session %(n)s may start from %(date)s: at least %(days)s days after "
                    "session %(prev)s (%(prev_date)s)."
                )
                % {
                    "n": number,
                    "date": formats.date_format(opens, "j F Y"),
                    "days": plan.interval_min,
                    "prev": last.number,
                    "prev_date": formats.date_format(last_day, "j F Y"),
                },
                _book_url(plan),
            ),
        )
    return number, opens, None


def class_waits(
    plan: TreatmentPlan,
    day: dt.date,
    clinic,
    *,
    before: dt.datetime,
    session: TreatmentSession | None = None,
) -> list[Wait]:
    """Each ingredient class of the plan's cocktail with a minimum interval (lipolytics) whose
    last session, started before `before` (in any plan of the patient), is too recent."""
    k = load()
    names = [i for p in plan.products.all() for i in p.ingredients]
    timed = {
        c: k.classes[c].min_interval_days
        for c in ingredient_classes(k, names)
        if c in k.classes and k.classes[c].min_interval_days
    }
    if not timed:
        return []
    rows = SessionPoint.objects.filter(
        session__patient=plan.patient, session__started_at__lt=before
    )
    if session is not None:
        rows = rows.exclude(session=session)
    latest: dict[str, dt.date] = {}
    for started, ingredients in rows.values_list(
        "session__started_at", "lot__product__ingredients"
    ).distinct():
        last_day = clinicday.local_date(started, clinic)
        for cls in ingredient_classes(k, ingredients or []):
            if cls in timed and (cls not in latest or last_day > latest[cls]):
                latest[cls] = last_day
    waits = []
    for cls, last_day in sorted(latest.items()):
        until = last_day + dt.timedelta(days=timed[cls])
        if day < until:
            waits.append(
                Wait(
                    f"interval:{cls}",
                    _(
                        "The last session with %(what)s was on %(date)s: the next waits at "
                        "least %(days)s days, until %(until)s."
                    )
                    % {
                        "what": text(k.classes[cls].label, language()).lower(),
                        "date": formats.date_format(last_day, "j F Y"),
                        "days": timed[cls],
                        "until": formats.date_format(until, "j F Y"),
                    },
                    _book_url(plan),
                )
            )
    return waits


def waits_for_start(plan: TreatmentPlan, at: dt.datetime, clinic) -> tuple[int, dt.date, list]:
    """For the gate: (the next session's number, the day its window opens, the waits)."""
    day = clinicday.local_date(at, clinic)
    number, opens, wait = series_wait(plan, day, clinic)
    waits = [wait] if wait else []
    return number, opens, waits + class_waits(plan, day, clinic, before=at)


def waits_for_sign_off(session: TreatmentSession, clinic) -> list[Wait]:
    """For sign-off: the waits the session broke on the day it was started."""
    day = clinicday.local_date(session.started_at, clinic)
    _number, _opens, wait = series_wait(session.plan, day, clinic, session)
    waits = [wait] if wait else []
    return waits + class_waits(
        session.plan, day, clinic, before=session.started_at, session=session
    )
