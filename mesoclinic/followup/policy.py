"""Capabilities of the follow-up and portal features.

accounts/roles.py is the one policy table; until it lists these capabilities, the defaults
below apply (the same roles the hand-over note asks roles.py to give them). Once roles.py
has an entry, that entry decides.
"""

from django.core.exceptions import PermissionDenied

from mesoclinic.accounts.roles import CAPABILITIES, CLINICAL, Role

DEFAULTS: dict[str, frozenset[str]] = {
    # the adverse-event register, its CSV export and the clinic's alert dashboard
    "view_adverse_events": frozenset({Role.PHYSICIAN, Role.NURSE, Role.CLINIC_ADMIN}),
    # the schedule (scheduling's capability); here: handling a patient's change request
    "book_appointments": frozenset({*CLINICAL, Role.FRONT_DESK}),
}


def can(actor, capability: str) -> bool:
    if actor is None:
        return False
    roles = CAPABILITIES[capability] if capability in CAPABILITIES else DEFAULTS[capability]
    return actor.role in roles


def require(actor, capability: str) -> None:
    if not can(actor, capability):
        raise PermissionDenied(capability)
