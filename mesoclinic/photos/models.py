import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mesoclinic.core.sealed import SealedModel


class ConsentScope(models.TextChoices):
    """How far the photos may be used; each scope includes the ones above it."""

    CLINICAL = "clinical", _("Clinical record only")
    PATIENT = "patient", _("Clinical record, and may be shown to the patient")
    TEACHING = "teaching", _("Also may be used anonymised for teaching")


SCOPE_ORDER = [ConsentScope.CLINICAL, ConsentScope.PATIENT, ConsentScope.TEACHING]


class PhotoConsent(SealedModel):
    """The patient's consent to clinical photographs. Only `withdrawn_*` ever change."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="photo_consents"
    )
    scope = models.CharField(_("what the photos may be used for"), max_length=10,
                             choices=ConsentScope.choices)  # fmt: skip
    signer_name = models.CharField(_("name of the signer"), max_length=200)
    signed_on = models.DateField(_("date signed"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return f"photo consent {self.scope} of {self.patient_id}"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None

    # signed: the scope never changes (a new consent is recorded); only a withdrawal, once
    sealed_mutable = ("withdrawn_at", "withdrawn_by", "signer_name")  # erasure blanks the name

    @classmethod
    def sealed_q(cls) -> models.Q:
        return models.Q()

    def allows(self, scope: str) -> bool:
        return self.active and SCOPE_ORDER.index(self.scope) >= SCOPE_ORDER.index(scope)


class View(models.TextChoices):
    FRONT = "front", _("Face, front")
    LEFT45 = "left45", _("Face, left side at 45°")
    RIGHT45 = "right45", _("Face, right side at 45°")
    VERTEX = "vertex", _("Scalp, vertex")
    HAIRLINE = "hairline", _("Scalp, front hairline")
    BODY = "body", _("Body area")


class Photo(SealedModel):
    """One standard view taken at a visit. The file lives under PHOTOS_ROOT, outside the web
    root, and is served only through an access check."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="photos")
    consent = models.ForeignKey(PhotoConsent, on_delete=models.PROTECT, related_name="photos")
    session = models.ForeignKey(
        "treatments.TreatmentSession", null=True, blank=True, on_delete=models.PROTECT,
        related_name="photos", verbose_name=_("session"),
    )  # fmt: skip
    taken_on = models.DateField(_("visit date"))
    view = models.CharField(_("view"), max_length=10, choices=View.choices)
    area = models.CharField(_("body area"), max_length=60, blank=True)
    file = models.CharField(max_length=200, editable=False)  # relative to PHOTOS_ROOT
    sha256 = models.CharField(max_length=64, editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    size_bytes = models.PositiveIntegerField(editable=False)
    original_format = models.CharField(max_length=10, editable=False)
    thumbnail = models.CharField(max_length=200, blank=True, editable=False)
    analysis = models.JSONField(default=dict)  # the photo-measure document
    quality_ok = models.BooleanField(default=True)
    quality_override = models.BooleanField(default=False)  # saved despite the capture check
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_on", "view", "-id"]
        indexes = [models.Index(fields=["patient", "taken_on"])]

    # made after the upload: the thumbnail by a background task, the measures by the engine
    sealed_mutable = ("thumbnail", "analysis")
    sealed_deletable = True  # a patient's erasure removes the photos and their files

    @classmethod
    def sealed_q(cls) -> models.Q:
        return models.Q()

    def __str__(self) -> str:
        return f"{self.view} photo of {self.patient_id} on {self.taken_on}"
