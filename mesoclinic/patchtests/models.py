import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesoclinic.core.models import AppendOnlyModel
from mesoclinic.core.sealed import SealedModel


class Site(models.TextChoices):
    INNER_FOREARM = "inner_forearm", _("Inner forearm")
    INNER_ELBOW = "inner_elbow", _("Inner elbow")
    WRIST = "wrist", _("Wrist")
    BEHIND_EAR = "behind_ear", _("Behind the ear")
    OTHER = "other", _("Other")


class Result(models.TextChoices):
    PENDING = "pending", _("Not read yet")
    NEGATIVE = "negative", _("Negative (no reaction)")
    POSITIVE = "positive", _("Positive (reaction)")


class PatchTest(SealedModel):
    """A small amount of a product or substance put on the skin, read after the product's own
    reading time. Recorded when applied, completed once when read; a reading is never changed."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="patch_tests"
    )
    # the catalogue product tested (its name, class and reading time are copied below, as
    # they were that day); None for tests recorded before products were picked
    product = models.ForeignKey(
        "products.Product", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    substance = models.CharField(_("product or substance tested"), max_length=200)
    product_class = models.CharField(_("product class"), max_length=50, blank=True)
    site = models.CharField(_("site"), max_length=20, choices=Site.choices)
    site_detail = models.CharField(_("site details"), max_length=200, blank=True)
    applied_at = models.DateTimeField(_("applied at"))
    reading_minutes = models.PositiveIntegerField(_("reading time in minutes"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    result = models.CharField(
        _("result"), max_length=10, choices=Result.choices, default=Result.PENDING
    )
    reaction_notes = models.TextField(_("reaction"), blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-applied_at", "-id"]
        indexes = [models.Index(fields=["patient", "-applied_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reading_minutes__gt=0), name="patchtest_reading_time_positive"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(result="pending", read_at__isnull=True, read_by__isnull=True)
                    | (
                        models.Q(result__in=["negative", "positive"])
                        & models.Q(read_at__isnull=False)
                    )
                ),
                name="patchtest_read_iff_result",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.substance} ({self.get_result_display()})"

    @classmethod
    def sealed_q(cls) -> models.Q:
        return ~models.Q(result=Result.PENDING)  # a reading is never changed (void it instead)

    @property
    def is_voided(self) -> bool:
        try:
            return self.void is not None
        except PatchTestVoid.DoesNotExist:
            return False

    @property
    def read_not_before(self) -> dt.datetime:
        return self.applied_at + dt.timedelta(minutes=self.reading_minutes)

    @property
    def is_read(self) -> bool:
        return self.result != Result.PENDING

    @property
    def site_label(self) -> str:
        if self.site == Site.OTHER and self.site_detail:
            return self.site_detail
        label = self.get_site_display()
        return f"{label} ({self.site_detail})" if self.site_detail else label


class PatchTestVoid(AppendOnlyModel):
    """A patch test entered by mistake (wrong product, wrong reading time), voided with a
    reason. The test stays on record; voided, it no longer counts for treatment and a new
    test can be recorded. Never changed or deleted, like the test it voids."""

    test = models.OneToOneField(PatchTest, on_delete=models.PROTECT, related_name="void")
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"void of {self.test_id}"
