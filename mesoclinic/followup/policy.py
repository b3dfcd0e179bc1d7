"""Capability checks for the follow-up and portal features; accounts/roles.py is the one
policy table."""

from django.core.exceptions import PermissionDenied

from mesoclinic.accounts.roles import can as role_can


def can(actor, capability: str) -> bool:
    return actor is not None and role_can(actor.role, capability)


def require(actor, capability: str) -> None:
    if actor is None:
        raise PermissionDenied(capability)
    actor.require(capability)  # a Forbidden that names the role
