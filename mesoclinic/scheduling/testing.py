"""Test helpers for scheduling."""

from mesoclinic.accounts.roles import CAPABILITIES, CLINICAL, Role

# Until accounts/roles.py lists them (see the scheduling hand-over note), tests add the
# scheduling capabilities here; once roles.py has them this changes nothing.
SCHEDULING_CAPABILITIES = {
    "book_appointments": frozenset({*CLINICAL, Role.FRONT_DESK}),
    "manage_schedule": frozenset({Role.CLINIC_ADMIN, Role.FRONT_DESK}),
}


def ensure_capabilities() -> None:
    for name, roles in SCHEDULING_CAPABILITIES.items():
        CAPABILITIES.setdefault(name, roles)
