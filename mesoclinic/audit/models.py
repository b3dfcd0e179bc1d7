from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesoclinic.core.models import AppendOnly, AppendOnlyModel  # noqa: F401 (AppendOnly re-exported)


class AuditEvent(AppendOnlyModel):
    """Who did what to which record, when, and from where. Never edited or deleted:
    the ORM refuses, and database triggers refuse updates (and deletes on PostgreSQL).

    Tamper-evident: each row is number `seq` of its clinic's chain (rows without a clinic
    form one chain of their own) and carries `hash` = SHA-256 of the previous row's hash and
    its own content (chain.py), so an edited, removed or inserted row breaks the chain that
    `mesoclinic audit verify` walks."""

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
    seq = models.BigIntegerField(null=True, editable=False)  # place in its clinic's chain
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["clinic", "-at"]),
            # the audit pages: newest first by (at, seq) within a clinic, for each filter
            models.Index(fields=["clinic", "at", "seq"], name="audit_clinic_at_seq"),
            models.Index(fields=["clinic", "patient_code", "at", "seq"], name="audit_patient_at"),
            models.Index(fields=["clinic", "username", "at", "seq"], name="audit_user_at"),
            models.Index(fields=["clinic", "action", "at", "seq"], name="audit_action_at"),
        ]
        constraints = [
            # one row per place in a chain: two writers can never fork a chain
            models.UniqueConstraint(
                fields=["clinic", "seq"],
                condition=models.Q(clinic__isnull=False),
                name="audit_chain_seq_unique",
            ),
            models.UniqueConstraint(
                fields=["seq"],
                condition=models.Q(clinic__isnull=True),
                name="audit_global_chain_seq_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type}"


class AuditChainHead(models.Model):
    """The end of one clinic's audit chain: its last number and hash. Writers lock this row
    (so one clinic's rows are chained one writer at a time) and verify compares it with the
    last row, so a removed tail is seen too."""

    key = models.CharField(max_length=40, primary_key=True)  # the clinic's id, or "global"
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"audit chain {self.key} at {self.seq}"
