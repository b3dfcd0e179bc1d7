"""Follow-up's check in the ready-to-treat gate (registered from apps.py, so treatments
never names followup)."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from mesoclinic.accounts.actor import Actor
from mesoclinic.lib import clinicday
from mesoclinic.treatments.gate import GateItem

from . import access


def side_effect_items(actor: Actor, plan, at: dt.datetime) -> list[GateItem]:
    """6. no side effect triaged urgent or emergency is still open. It blocks, with no
    override: the fix is to see the patient and record the event's outcome (resolved), so
    the next session follows a physician's look at the last one's complication."""
    patient = plan.patient
    events = access.open_urgent_events(actor, patient)
    if not events:
        return [
            GateItem(
                "side-effects",
                True,
                _("No urgent side effect is open."),
                reverse("patients:chart", args=[patient.code]),
            )
        ]
    return [
        GateItem(
            f"side-effect:{event.code}",
            False,
            _(
                "An %(level)s side effect reported on %(date)s after session %(n)s is still "
                "open: see the patient and record its outcome before another session."
            )
            % {
                "level": event.get_level_display().lower(),
                "date": clinicday.shown_day(clinicday.local_date(event.reported_at, actor.clinic)),
                "n": event.session.number,
            },
            reverse("followup:event", args=[event.code]),
        )
        for event in events
    ]
