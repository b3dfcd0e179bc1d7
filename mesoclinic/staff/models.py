"""A clinic admin's invitation to a new member of staff: single use, expiring, and its
secret stored nowhere (only its SHA-256; the e-mail derives it again when it is rendered,
as the portal's invitations do)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mesoclinic.accounts.roles import Role


class StaffInvitation(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    nonce = models.CharField(max_length=32, blank=True)  # erased once used or replaced
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(  # the account made by accepting it
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"staff invitation {self.code}"

    @property
    def open(self) -> bool:
        from django.utils import timezone

        return not (self.used_at or self.revoked_at or self.expires_at <= timezone.now())
