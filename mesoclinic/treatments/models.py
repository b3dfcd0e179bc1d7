import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mesoclinic.core.sealed import Sealed, SealedModel, opened


class PlanStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    STOPPED = "stopped", _("Stopped")


class TreatmentPlan(models.Model):
    """A series of sessions for one protocol, made from a screening that allows it."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="plans")
    protocol = models.CharField(max_length=40)
    screening = models.ForeignKey(
        "screening.ScreeningRecord", on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField(_("first session"))
    sessions_planned = models.PositiveSmallIntegerField(_("number of sessions"))
    interval_min = models.PositiveSmallIntegerField()
    interval_default = models.PositiveSmallIntegerField()
    interval_max = models.PositiveSmallIntegerField()
    maintenance_min = models.PositiveSmallIntegerField()
    maintenance_max = models.PositiveSmallIntegerField()
    concerns = models.JSONField(default=list)  # [str]
    zones = models.JSONField(default=list)  # zone ids of the protocol
    products = models.ManyToManyField(
        "products.Product", related_name="+", verbose_name=_("cocktail")
    )
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    knowledge_version = models.CharField(max_length=32)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.protocol} plan of {self.patient_id}"


class SessionStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    SIGNED = "signed", _("Signed off")


class TreatmentSession(SealedModel):
    """One treatment visit. Once signed off it changes only by an amendment (amendments.py),
    which the ORM guard (SealedModel) and database triggers (migration 0004_sealed) both enforce."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.PROTECT, related_name="sessions")
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="treatment_sessions"
    )
    number = models.PositiveSmallIntegerField()
    protocol = models.CharField(max_length=40)
    started_at = models.DateTimeField()
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    gate = models.JSONField(default=list)  # what the ready-to-treat gate checked at the start
    anaesthetic_applied_at = models.DateTimeField(
        _("anaesthetic cream applied at"), null=True, blank=True
    )
    anaesthetic_removed_at = models.DateTimeField(
        _("anaesthetic cream removed at"), null=True, blank=True
    )
    pain_score = models.PositiveSmallIntegerField(_("pain score (0-10)"), null=True, blank=True)
    reactions = models.JSONField(default=list)  # immediate reactions, symptom ids
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        max_length=10, choices=SessionStatus.choices, default=SessionStatus.OPEN
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_record = models.JSONField(
        null=True, blank=True
    )  # the record as signed, kept beside amendments
    revision = models.PositiveIntegerField(default=0)  # bumped by every change, under a row lock

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="session_number_unique")
        ]

    def __str__(self) -> str:
        return f"session {self.number} of plan {self.plan_id}"

    @property
    def is_signed(self) -> bool:
        return self.status == SessionStatus.SIGNED

    @classmethod
    def sealed_q(cls) -> models.Q:
        return models.Q(status=SessionStatus.SIGNED)


class View(models.TextChoices):
    FRONT = "front", _("Face, front")
    LEFT = "left", _("Face, left profile")
    RIGHT = "right", _("Face, right profile")
    SCALP = "scalp", _("Scalp")
    BODY = "body", _("Body")


class Side(models.TextChoices):
    RIGHT = "right", _("right")
    LEFT = "left", _("left")
    MIDLINE = "midline", _("midline")


class SessionPoint(SealedModel):
    """One injection or application point on the diagram, with its lot. Sealed with its
    session: once signed, points are added or removed only by an amendment."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(TreatmentSession, on_delete=models.CASCADE, related_name="points")
    stage = models.PositiveSmallIntegerField(null=True, blank=True)
    view = models.CharField(max_length=10, choices=View.choices)
    x = models.FloatField()  # in the diagram's coordinates: 0-100 across, 0-130 down
    y = models.FloatField()
    zone = models.CharField(max_length=40)
    side = models.CharField(max_length=7, choices=Side.choices, blank=True)  # of the patient
    depth_mm = models.DecimalField(max_digits=4, decimal_places=1)
    technique = models.CharField(max_length=40)
    volume_ml = models.DecimalField(max_digits=6, decimal_places=3)
    lot = models.ForeignKey("products.Lot", on_delete=models.PROTECT, related_name="points")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "stage", "id"]

    def __str__(self) -> str:
        return f"{self.zone} {self.volume_ml} mL"

    @classmethod
    def sealed_q(cls) -> models.Q:
        return models.Q(session__status=SessionStatus.SIGNED)

    @classmethod
    def sealed_owner_path(cls) -> tuple[str, ...]:
        return ("session_id",)

    @classmethod
    def sealed_owner(cls, row):
        return TreatmentSession, row[0]

    def save(self, *args, **kwargs):
        if self._state.adding and self.session_id:
            session = TreatmentSession._base_manager.filter(pk=self.session_id).first()
            if session and session.is_signed and not opened(TreatmentSession, session.pk):
                raise Sealed("a signed session gets new points only by an amendment")
        return super().save(*args, **kwargs)


class Amendment(models.Model):
    """A change to a signed session: what changed, why, by whom. Never edited."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(
        TreatmentSession, on_delete=models.PROTECT, related_name="amendments"
    )
    reason = models.TextField()
    changes = models.JSONField()  # [{"op": ..., "before": ..., "after": ...}]
    revision = models.PositiveIntegerField()  # the session revision this amendment produced
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "revision"]

    def __str__(self) -> str:
        return f"amendment {self.revision} of {self.session_id}"


class ChartTemplate(models.Model):
    """A named set of points ("my usual mesolift") saved from a charted session, for one
    practitioner or the whole clinic. Applied to a new session in one action; each point
    is then checked like a click and gets the current usable lot of its product."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(  # None: shared with the whole clinic
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="chart_templates",
    )
    name = models.CharField(_("name"), max_length=80)
    protocol = models.CharField(max_length=40)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "protocol", "owner", "name"], name="chart_template_name_unique"
            ),
            models.UniqueConstraint(
                fields=["clinic", "protocol", "name"],
                condition=models.Q(owner=None),
                name="chart_template_clinic_name_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ChartTemplatePoint(models.Model):
    """One point of a template: where, how and how much, and which product (not which lot:
    the lot is the product's current usable lot when the template is applied)."""

    template = models.ForeignKey(ChartTemplate, on_delete=models.CASCADE, related_name="points")
    stage = models.PositiveSmallIntegerField(null=True, blank=True)
    view = models.CharField(max_length=10, choices=View.choices)
    x = models.FloatField()
    y = models.FloatField()
    zone = models.CharField(max_length=40)
    side = models.CharField(max_length=7, choices=Side.choices, blank=True)
    depth_mm = models.DecimalField(max_digits=4, decimal_places=1)
    technique = models.CharField(max_length=40)
    volume_ml = models.DecimalField(max_digits=6, decimal_places=3)
    product = models.ForeignKey("products.Product", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["template", "id"]

    def __str__(self) -> str:
        return f"{self.zone} {self.volume_ml} mL"
