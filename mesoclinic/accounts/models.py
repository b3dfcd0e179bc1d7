import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from mesoclinic.lib import clinicday
from mesoclinic.lib.phone import validate_phone

from .roles import Role


class Clinic(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Istanbul",
        validators=[clinicday.validate_zone],
        help_text=_("The clinic's clock: every date and time it sees is on it."),
    )
    on_call_email = models.EmailField(_("on-call e-mail"), blank=True)
    phone = models.CharField(
        _("phone"),
        max_length=40,
        blank=True,
        validators=[validate_phone],
        help_text=_(
            "Patients are given it with every “contact your clinic” advice: in messages, "
            "aftercare sheets and the portal."
        ),
    )
    # Issue 14: what a clinic sets for itself (set-up wizard, `createclinic`, settings page)
    address = models.TextField(_("address"), blank=True, max_length=500)
    logo = models.CharField(max_length=200, blank=True)  # a name in the "clinic" storage
    sender_email = models.EmailField(
        _("sender address"),
        blank=True,
        help_text=_("E-mails to patients and staff come from this address (blank: the server's)."),
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)  # language codes
    two_factor_roles = models.JSONField(
        _("two-factor sign-in required for"), default=list, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("clinic")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Membership(models.Model):
    """A user's place in one clinic. Every staff user belongs to exactly one clinic."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="membership")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="members")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.clinic}"
