"""Where a plan stands: session k of n, and the window of the next session."""

import datetime as dt
from dataclasses import dataclass

from mesoclinic.engine.planning import windows
from mesoclinic.lib import clinicday

from .models import PlanStatus, SessionStatus


@dataclass
class Progress:
    done: int
    planned: int
    next_number: int | None
    next_earliest: dt.date | None
    next_target: dt.date | None
    next_latest: dt.date | None
    maintenance_from: dt.date | None
    maintenance_until: dt.date | None


def progress(plan, sessions: list, clinic) -> Progress:
    """Windows run from the last signed session's date on the clinic's clock (or the plan's
    start)."""
    signed = [s for s in sessions if s.status == SessionStatus.SIGNED]
    done = len(signed)
    if plan.status != PlanStatus.ACTIVE or done >= plan.sessions_planned:
        last = max(
            (clinicday.local_date(s.started_at, clinic) for s in signed),
            default=plan.start_date,
        )
        return Progress(
            done,
            plan.sessions_planned,
            None,
            None,
            None,
            None,
            last + dt.timedelta(days=plan.maintenance_min),
            last + dt.timedelta(days=plan.maintenance_max),
        )
    if not signed:
        return Progress(
            0,
            plan.sessions_planned,
            1,
            plan.start_date,
            plan.start_date,
            plan.start_date,
            None,
            None,
        )
    last = max(clinicday.local_date(s.started_at, clinic) for s in signed)
    nxt = windows(last, 2, plan.interval_min, plan.interval_default, plan.interval_max)[1]
    return Progress(
        done, plan.sessions_planned, done + 1, nxt.earliest, nxt.target, nxt.latest, None, None
    )
