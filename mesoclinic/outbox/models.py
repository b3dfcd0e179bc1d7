"""The outbox: one row per message to send, whatever app asked for it and whatever it says.

A row is written in the same transaction as the change that calls for it, with a unique
`key`, so the same message is never created twice. It names what it is about (an
appointment, an aftercare sheet, an alert, an invitation) through a generic relation, so
this app knows no app above it; the text is rendered at send time by the kind's renderer
(see `kinds.py`). Secrets are never stored here: a renderer derives them when it renders.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .kinds import label


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Pending")  # waiting for its time, or for its next attempt
    SENDING = "sending", _("Sending")  # claimed by a worker; the lease may expire
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")  # no longer applies (moved, cancelled, used)
    FAILED = "failed", _("Failed")  # given up: shown to the clinic's staff


class Message(models.Model):
    """One message to one recipient on one channel. A worker claims the row with a
    conditional UPDATE before sending and marks it sent after; a transport error puts it
    back with an exponential back-off until the retry window closes, then it fails."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.CharField(max_length=200, unique=True)
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    # the patient the message is to or about (an on-call alert goes to the clinic)
    patient = models.ForeignKey(
        "patients.Patient", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    about_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    kind = models.CharField(max_length=40)  # registered in kinds.py by the app that owns it
    channel = models.CharField(max_length=5, choices=Channel.choices)
    params = models.JSONField(default=dict, blank=True)  # what the text needs; never a secret
    due_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    first_attempt_at = models.DateTimeField(null=True, blank=True)  # the retry window's start
    sent_at = models.DateTimeField(null=True, blank=True)
    to = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)  # as sent (secret links withheld)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # a failed message stays in the staff's list until someone handles it
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["clinic", "status"]),
            models.Index(fields=["about_type", "about_id"]),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def kind_label(self) -> str:
        return label(self.kind)


class WorkerBeat(models.Model):
    """The background worker's heartbeat: one row per running worker, touched every few
    seconds. /healthz and the staff's navigation read it to say when nobody is sending
    the clinic's messages."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"
