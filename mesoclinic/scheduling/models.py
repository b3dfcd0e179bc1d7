"""Who works when, where, and who is booked: practitioners, rooms, hours, appointments;
the kinds of message sent about them (the outbox app holds the messages); the secret
calendar feeds.

No double booking is enforced by the database: on PostgreSQL by exclusion constraints over
the time range of booked appointments per practitioner, room and patient (migration 0002);
on SQLite by the booking transaction, which takes the write lock at BEGIN (IMMEDIATE mode)
and checks for clashes inside it.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Practitioner(models.Model):
    """A staff user of the clinic who treats patients, with the protocols they perform."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="practitioner"
    )
    name = models.CharField(_("name"), max_length=150)
    protocols = models.JSONField(_("protocols performed"), default=list)  # protocol ids
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class WorkingHours(models.Model):
    """One stretch of a practitioner's working week (a split day has two)."""

    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        ordering = ["practitioner", "weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="hours_order")
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"


class Absence(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="absences"
    )
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["practitioner", "start"]
        indexes = [models.Index(fields=["practitioner", "start"])]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="absence_order")
        ]

    def __str__(self) -> str:
        return f"{self.practitioner} away {self.start:%Y-%m-%d}"


class Room(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    protocols = models.JSONField(_("protocols it suits"), default=list)  # protocol ids
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class OpeningHours(models.Model):
    clinic = models.ForeignKey(
        "accounts.Clinic", on_delete=models.CASCADE, related_name="opening_hours"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start = models.TimeField(_("opens"))
    end = models.TimeField(_("closes"))

    class Meta:
        ordering = ["clinic", "weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="opening_order")
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"


class Status(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    DONE = "done", _("Done")
    NO_SHOW = "no_show", _("Did not come")


class AppointmentType(models.TextChoices):
    """What the visit is for; `appointment_types.py` says how long each lasts by default and
    whether the patient gets preparation advice before it."""

    CONSULTATION = "consultation", _("Consultation")
    TREATMENT = "treatment", _("Treatment session")
    REVIEW = "review", _("Review")
    TOP_UP = "top_up", _("Top-up")


class Appointment(models.Model):
    """One booked session. `start`..`end` is half-open; only BOOKED rows hold their slot."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="appointments"
    )
    plan = models.ForeignKey(
        "treatments.TreatmentPlan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    session_number = models.PositiveSmallIntegerField(null=True, blank=True)
    protocol = models.CharField(max_length=40)
    appointment_type = models.CharField(
        _("type"),
        max_length=12,
        choices=AppointmentType.choices,
        default=AppointmentType.TREATMENT,
    )
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, related_name="appointments"
    )
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="appointments")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    cream_in_clinic = models.BooleanField(default=False)  # the cream's lead time is booked
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    # the front desk's day: the patient checked in at the desk, then went into the room
    arrived_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    in_room_at = models.DateTimeField(_("in the room since"), null=True, blank=True)
    outside_window = models.BooleanField(default=False)  # flagged after a reschedule
    cancel_reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # the outbox's messages about this appointment (reminders, check-ins)
    messages = GenericRelation(
        "outbox.Message",
        content_type_field="about_type",
        object_id_field="about_id",
        related_query_name="appointment",
    )

    class Meta:
        ordering = ["start", "id"]
        indexes = [
            models.Index(fields=["clinic", "start"]),
            models.Index(fields=["practitioner", "start"]),
            models.Index(fields=["room", "start"]),
            models.Index(fields=["patient", "start"]),
            models.Index(fields=["plan", "session_number"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="appt_order"),
            # one live appointment per session of a plan
            models.UniqueConstraint(
                fields=["plan", "session_number"],
                condition=Q(status="booked"),
                name="appt_one_booked_per_session",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.protocol} {self.start:%Y-%m-%d %H:%M}"

    @property
    def is_booked(self) -> bool:
        return self.status == Status.BOOKED


class WaitStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    OFFERED = "offered", _("Slot offered")
    BOOKED = "booked", _("Booked")
    REMOVED = "removed", _("Removed")


class WaitingListEntry(models.Model):
    """A patient who wants an earlier or any slot for a protocol between two dates."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    protocol = models.CharField(_("protocol"), max_length=40)
    practitioner = models.ForeignKey(
        Practitioner,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("preferred practitioner"),
    )
    earliest = models.DateField(_("from"))
    latest = models.DateField(_("until"))
    notes = models.CharField(_("notes"), max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=WaitStatus.choices, default=WaitStatus.WAITING)
    offered_start = models.DateTimeField(null=True, blank=True)
    offered_practitioner = models.ForeignKey(
        Practitioner, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    offered_room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    offered_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["clinic", "status", "protocol"])]

    def __str__(self) -> str:
        return f"{self.protocol} wanted {self.earliest}..{self.latest}"


class Kind(models.TextChoices):
    """Scheduling's kinds of message (the outbox sends them; texts.py renders them)."""

    PREPARE = "prepare", _("Preparation instructions")
    REMINDER = "reminder", _("Appointment reminder")
    FOLLOWUP = "followup", _("Follow-up check-in")
    RECALL = "recall", _("Maintenance recall")
    OFFER = "offer", _("Waiting-list offer")


class FeedKind(models.TextChoices):
    PATIENT = "patient", _("Patient")
    PRACTITIONER = "practitioner", _("Practitioner")


class CalendarToken(models.Model):
    """A secret iCalendar feed URL. Only the SHA-256 of the secret is stored; revoked
    tokens stop working at once."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=FeedKind.choices)
    patient = models.ForeignKey(
        "patients.Patient", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    practitioner = models.ForeignKey(
        Practitioner, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=8)  # the first characters, to tell tokens apart
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="patient", patient__isnull=False, practitioner__isnull=True))
                | Q(kind="practitioner", patient__isnull=True, practitioner__isnull=False),
                name="token_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} feed {self.hint}…"
