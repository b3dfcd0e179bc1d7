"""Aftercare sheets, follow-up check-ins, adverse events with their clinic alerts, and GAIS
outcome scores.

An aftercare sheet is what the patient was told at sign-off, kept exactly (append-only):
a later change of the knowledge never rewrites it. An adverse event is the clinic's record
of one reported side effect: the engine's triage as it was, and the staff's grading,
actions and resolution (edited through `actions`, every change audited).
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mesoclinic.core.models import AppendOnlyModel
from mesoclinic.core.sealed import SealedModel

from .files import photo_storage


class AftercareSheet(AppendOnlyModel):
    """The engine's aftercare for one signed session, frozen at sign-off."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.OneToOneField(
        "treatments.TreatmentSession", on_delete=models.PROTECT, related_name="aftercare_sheet"
    )
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    protocol = models.CharField(max_length=40)
    session_end = models.DateTimeField()
    # as the engine returned it: items (with `until`), expected_reactions, red_flags,
    # checkin_days, session_end, knowledge_version
    items = models.JSONField()
    knowledge_version = models.CharField(max_length=32)
    language = models.CharField(max_length=10)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-session_end", "-id"]

    def __str__(self) -> str:
        return f"aftercare of {self.session_id}"


class Severity(models.TextChoices):
    MILD = "mild", _("Mild: noticeable, does not get in the way")
    MODERATE = "moderate", _("Moderate: bothers me, gets in the way of some things")
    SEVERE = "severe", _("Severe: hard to bear, or stops me doing things")


class Level(models.TextChoices):
    """The engine's triage levels, least to most urgent."""

    EXPECTED = "expected", _("Expected")
    CONTACT_CLINIC = "contact_clinic", _("Contact the clinic")
    URGENT = "urgent", _("Urgent")
    EMERGENCY = "emergency", _("Emergency")


class CheckIn(models.Model):
    """One scheduled question "how is the treated skin?", `day` days after a session."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(
        "treatments.TreatmentSession", on_delete=models.PROTECT, related_name="checkins"
    )
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    day = models.PositiveSmallIntegerField()
    due_at = models.DateTimeField(db_index=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    symptoms = models.JSONField(default=list)  # triage vocabulary ids; [] = all is well
    severity = models.CharField(max_length=10, choices=Severity.choices, blank=True)
    fever = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    photo = models.FileField(storage=photo_storage, upload_to="%Y/%m", blank=True, max_length=200)
    triage = models.JSONField(null=True, blank=True)  # the engine's answer, when triaged
    adverse_event = models.ForeignKey(
        "AdverseEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "day"], name="checkin_day_unique")
        ]
        indexes = [models.Index(fields=["patient", "due_at"])]

    def __str__(self) -> str:
        return f"day {self.day} check-in of {self.session_id}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class Source(models.TextChoices):
    PORTAL = "portal", _("Reported by the patient in the portal")
    STAFF = "staff", _("Reported to the staff")
    CHECKIN = "checkin", _("Follow-up check-in")


class Outcome(models.TextChoices):
    """FHIR R4 AdverseEvent.outcome."""

    ONGOING = "ongoing", _("Ongoing")
    RECOVERING = "recovering", _("Recovering")
    RESOLVED = "resolved", _("Resolved")
    RESOLVED_WITH_SEQUELAE = "resolved_with_sequelae", _("Resolved with sequelae")
    FATAL = "fatal", _("Fatal")
    UNKNOWN = "unknown", _("Unknown")


RESOLVED = (Outcome.RESOLVED, Outcome.RESOLVED_WITH_SEQUELAE, Outcome.FATAL)

# CTCAE v5.0 generic grades (clinical-evidence.md §5.9)
CTCAE_GRADES = [
    (1, _("1 · Mild: mild or no symptoms; intervention not indicated")),
    (2, _("2 · Moderate: minimal, local or non-invasive intervention indicated")),
    (3, _("3 · Severe or medically significant, not immediately life-threatening")),
    (4, _("4 · Life-threatening: urgent intervention indicated")),
    (5, _("5 · Death related to the adverse event")),
]
SUGGESTED_GRADE = {"expected": 1, "contact_clinic": 2, "urgent": 3, "emergency": 4}


class AdverseEvent(SealedModel):
    """One reported side effect of one session, with the lots used in it."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="adverse_events"
    )
    session = models.ForeignKey(
        "treatments.TreatmentSession", on_delete=models.PROTECT, related_name="adverse_events"
    )
    protocol = models.CharField(max_length=40, db_index=True)
    lots = models.ManyToManyField("products.Lot", related_name="adverse_events", blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(db_index=True)
    symptoms = models.JSONField(default=list)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    fever = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    photo = models.FileField(storage=photo_storage, upload_to="%Y/%m", blank=True, max_length=200)
    hours_since_session = models.FloatField()
    # the engine's answer: level, advice, reasons, sources, rules, knowledge_version
    triage = models.JSONField()
    level = models.CharField(max_length=20, choices=Level.choices, db_index=True)
    ctcae_grade = models.PositiveSmallIntegerField(
        _("CTCAE grade"),
        choices=CTCAE_GRADES,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    actions_taken = models.TextField(_("actions taken"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=30, choices=Outcome.choices, default=Outcome.ONGOING
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["clinic", "-reported_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ctcae_grade__isnull=True)
                | models.Q(ctcae_grade__gte=1, ctcae_grade__lte=5),
                name="ae_ctcae_grade_range",
            )
        ]

    def __str__(self) -> str:
        return f"adverse event {self.code}"

    # the report and its triage are fixed once recorded; the clinic's follow-up is not
    # (and the photo file, which a patient's erasure removes)
    sealed_mutable = (
        "ctcae_grade", "actions_taken", "outcome", "resolved_at", "updated_at", "photo"
    )  # fmt: skip

    @classmethod
    def sealed_q(cls) -> models.Q:
        return models.Q()

    @property
    def suggested_grade(self) -> int:
        return SUGGESTED_GRADE.get(self.level, 1)

    @property
    def is_resolved(self) -> bool:
        return self.outcome in RESOLVED


class ClinicAlert(models.Model):
    """A side effect above "expected": shown to the clinic until someone acknowledges it."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    adverse_event = models.ForeignKey(AdverseEvent, on_delete=models.PROTECT, related_name="alerts")
    level = models.CharField(max_length=20, choices=Level.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)  # the on-call e-mail went out

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["clinic", "acknowledged_at"])]

    def __str__(self) -> str:
        return f"{self.level} alert {self.code}"


class Rater(models.TextChoices):
    PRACTITIONER = "practitioner", _("Practitioner")
    PATIENT = "patient", _("Patient")


GAIS_SCALE = "gais-5:1=very-much-improved"  # the version of the scale the scores use
GAIS_LABELS = [
    (1, _("Very much improved")),
    (2, _("Much improved")),
    (3, _("Improved")),
    (4, _("No change")),
    (5, _("Worse")),
]


class GaisScore(models.Model):
    """Global Aesthetic Improvement Scale, compared with the look before the series."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="gais_scores"
    )
    session = models.ForeignKey(
        "treatments.TreatmentSession", on_delete=models.PROTECT, related_name="gais_scores"
    )
    rater = models.CharField(max_length=15, choices=Rater.choices)
    score = models.PositiveSmallIntegerField(
        _("GAIS score"),
        choices=GAIS_LABELS,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    scale_version = models.CharField(max_length=40, default=GAIS_SCALE)
    rated_on = models.DateField()
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rated_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="gais_score_range"
            )
        ]

    def __str__(self) -> str:
        return f"GAIS {self.score} by {self.rater}"
