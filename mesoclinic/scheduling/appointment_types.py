"""What each type of appointment books and sends: its default length and whether the
patient gets preparation advice (the protocol's pre-treatment instructions) before it.

A consultation or a review has no injections, so no preparation advice is sent for it; a
treatment session lasts as long as the protocol says (plus the anaesthetic cream's lead
time when the cream goes on in the clinic); a top-up is a short treatment visit.
"""

from dataclasses import dataclass

from mesoclinic.engine.knowledge import load

from . import availability
from .models import AppointmentType


@dataclass(frozen=True)
class TypeRule:
    minutes: int | None  # None: the protocol's own session length
    preparation: bool  # preparation advice and the instructions in the reminders
    cream: bool  # the anaesthetic cream may go on in the clinic


RULES: dict[str, TypeRule] = {
    AppointmentType.CONSULTATION: TypeRule(30, preparation=False, cream=False),
    AppointmentType.TREATMENT: TypeRule(None, preparation=True, cream=True),
    AppointmentType.REVIEW: TypeRule(15, preparation=False, cream=False),
    AppointmentType.TOP_UP: TypeRule(30, preparation=True, cream=True),
}


def rule(appointment_type: str) -> TypeRule:
    return RULES.get(appointment_type, RULES[AppointmentType.TREATMENT])


def prepares(appointment_type: str) -> bool:
    """The hook the reminders use: does this type of visit get preparation advice?"""
    return rule(appointment_type).preparation


def minutes(appointment_type: str, protocol: str, cream_in_clinic: bool = False) -> int:
    """The length to book, in whole grid steps."""
    r = rule(appointment_type)
    cream = cream_in_clinic and r.cream and availability.cream_possible(protocol)
    if r.minutes is None:
        return availability.session_minutes(protocol, cream)
    total = r.minutes
    if cream:
        total += load().protocols[protocol].anaesthetic_cream.lead_minutes.default
    step = availability.step_minutes()
    return -(-total // step) * step
