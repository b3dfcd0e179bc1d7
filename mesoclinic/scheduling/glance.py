"""The day view's "at a glance" column: is each patient screened for that day, and would
the ready-to-treat gate open? Status words only, no clinical detail, so the front desk
may see them.

The gate's own rule (`treatments.gate.evaluate`: screening of the day on the current
medical history, eligible and covering the cocktail; valid consent; a read negative patch
test for each product that needs one; a usable lot) over facts the gate gathers for a
whole day at once in a fixed number of queries (`treatments.access.gate_facts_for_day`).
"""

import datetime as dt
from dataclasses import dataclass, field

from mesoclinic.accounts.actor import Actor
from mesoclinic.lib import clinicday
from mesoclinic.treatments import access as treatments_access


@dataclass
class Glance:
    screening: str  # eligible / defer / review / contraindicated / none
    ready: bool | None  # None: not part of a plan, no gate to check
    missing: list[str] = field(default_factory=list)  # screening, consent, patch, lot


def readiness(actor: Actor, appointments: list, day: dt.date) -> dict[int, Glance]:
    facts = treatments_access.gate_facts_for_day(actor, appointments, day, clinicday.now())
    out = {}
    for pk, (decision, gate) in facts.items():
        if gate is None:
            out[pk] = Glance(decision, None)
            continue
        missing = treatments_access.gate_missing(gate)
        out[pk] = Glance(decision, not missing, missing)
    return out
