from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesoclinic.core.models import AppendOnly, AppendOnlyModel  # noqa: F401 (AppendOnly re-exported)


class AuditEvent(AppendOnlyModel):
    """Who did what to which record, when, and from where. Never edited or deleted:
    the ORM refuses, and database triggers refuse updates (and deletes on PostgreSQL)."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    clinic = models.ForeignKey(
        "accounts.Clinic", null=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    username = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=20, blank=True)
    action = models.CharField(_("action"), max_length=30, db_index=True)
    object_type = models.CharField(max_length=50, blank=True)
    object_code = models.CharField(max_length=64, blank=True)
    patient_code = models.UUIDField(null=True, blank=True, db_index=True)
    summary = models.CharField(max_length=300, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["clinic", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type}"
