"""The person behind a request: who, in which clinic, with which role, from where."""

from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext as _

from mesoclinic.lib.refusals import Forbidden

from .models import Clinic, Membership, User
from .roles import Role, can


@dataclass(frozen=True)
class Actor:
    user: User | None
    clinic: Clinic
    role: str
    ip: str | None = None
    user_agent: str = ""

    def can(self, capability: str) -> bool:
        return can(self.role, capability)

    def require(self, capability: str) -> None:
        if not self.can(capability):
            role = Role(self.role).label if self.role in Role.values else self.role
            raise Forbidden(
                _("Your role (%(role)s) does not allow this.") % {"role": role}, capability
            )

    @classmethod
    def for_user(cls, user: User, ip: str | None = None, user_agent: str = "") -> "Actor | None":
        membership = _membership(user)
        if membership is None or not membership.is_active or not user.is_active:
            return None
        return cls(user, membership.clinic, membership.role, ip, user_agent[:300])

    @classmethod
    def system(cls, clinic: Clinic, role: str = "clinic_admin") -> "Actor":
        """Commands and background tasks act as the system, in one clinic."""
        return cls(None, clinic, role, None, "system")

    @cached_property
    def patient(self):
        """The one patient a patient actor acts for: the record their portal account names,
        in this clinic; None for staff, the system and a patient user without an account.
        (Read through the reverse relation, so accounts names no higher app.)"""
        if self.role != Role.PATIENT or self.user is None or not self.user.is_active:
            return None
        account = getattr(self.user, "portal_account", None)
        if account is None:
            return None
        patient = account.patient
        return patient if patient.clinic_id == self.clinic.pk else None

    @property
    def name(self) -> str:
        return self.user.display_name if self.user else "system"


def _membership(user) -> Membership | None:
    """The user's membership with its clinic, in one query on each request (not two), cached
    on the user as `user.membership` (issue 18)."""
    related = User.membership.related
    if getattr(user, "pk", None) is None:
        return None
    if not related.is_cached(user):
        related.set_cached_value(
            user, Membership.objects.select_related("clinic").filter(user=user).first()
        )
    return getattr(user, "membership", None)
