"""Screening records: the engine's answer for one patient, protocol and planned date.

Both tables are append-only: the ORM refuses to change or delete a row, and a database
trigger refuses UPDATE (and DELETE on PostgreSQL). A new answer is a new screening.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mesoclinic.core.models import AppendOnly, AppendOnlyModel  # noqa: F401 (AppendOnly re-exported)


class Decision(models.TextChoices):
    """The engine's decisions, least to most restrictive (engine.screening.DECISIONS)."""

    ELIGIBLE = "eligible", _("Eligible")
    DEFER = "defer", _("Defer")
    REVIEW = "review", _("Physician review")
    CONTRAINDICATED = "contraindicated", _("Contraindicated")


class ScreeningRecord(AppendOnlyModel):
    """What the engine decided for a protocol on a planned date, with the knowledge version
    in force and the intake version it read. Valid for `planned_date` only, and only while
    `intake` is still the patient's current medical history."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="screenings"
    )
    protocol = models.CharField(_("protocol"), max_length=64)
    planned_date = models.DateField(_("planned date"))
    products = models.JSONField(default=list)  # [{"name", "ingredients", "vehicle"?}]
    # the medical history version screened; null when none had been recorded
    intake = models.ForeignKey(
        "patients.IntakeVersion", null=True, on_delete=models.PROTECT, related_name="+"
    )
    result = models.JSONField()  # the engine's Screening.as_dict, whole, in `language`
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    defer_until = models.DateField(null=True)
    knowledge_version = models.CharField(max_length=64)
    language = models.CharField(max_length=8, default="en")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["patient", "-created_at"]),
            models.Index(fields=["patient", "protocol", "planned_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.protocol} {self.planned_date:%Y-%m-%d} {self.decision}"

    @property
    def override_or_none(self) -> "ScreeningOverride | None":
        try:
            return self.override
        except ScreeningOverride.DoesNotExist:
            return None

    @property
    def findings(self) -> list[dict]:
        return self.result.get("findings", [])


class ScreeningOverride(AppendOnlyModel):
    """A physician's written decision to proceed despite a `review`. Never for a
    contraindication; at most one per screening."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    screening = models.OneToOneField(
        ScreeningRecord, on_delete=models.PROTECT, related_name="override"
    )
    physician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    covers = models.JSONField(default=list)  # rule ids of the review findings overridden
    # the decision once the reviews are cleared: the most restrictive remaining finding
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"override of {self.screening_id} -> {self.decision}"
