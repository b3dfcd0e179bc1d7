import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_YEARS = 20  # years a record is kept when the clinic has set nothing (retention.py)


class RetentionPolicy(models.Model):
    """How long the clinic must keep a patient's clinical record after the last care, and
    why (shown on the erasure page). Without a row: DEFAULT_YEARS and the default reason."""

    clinic = models.OneToOneField(
        "accounts.Clinic", on_delete=models.PROTECT, related_name="retention_policy"
    )
    years = models.PositiveSmallIntegerField(_("years the record is kept"), default=DEFAULT_YEARS)
    reason = models.TextField(_("why"), blank=True)  # blank: the default reason
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.clinic}: {self.years} years"


class PatientErasure(models.Model):
    """One erasure of one patient, done: what was removed and what the law keeps."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.OneToOneField(
        "patients.Patient", on_delete=models.PROTECT, related_name="erasure"
    )
    erased_at = models.DateTimeField(auto_now_add=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("how the patient asked"), max_length=300)
    retained_until = models.DateField(null=True, blank=True)  # None: nothing kept
    identity_anonymised = models.BooleanField(default=False)
    counts = models.JSONField(default=dict)  # what was removed, by kind

    def __str__(self) -> str:
        return f"erasure {self.code}"
