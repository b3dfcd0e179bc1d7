"""The patient portal: invitations, the link between a sign-in and a patient record, and a
patient's requests to move an appointment.

An invitation is a single-use, expiring secret link. The secret is never stored: it is
derived from the invitation's code and nonce with the server's key when the e-mail is
rendered (see tokens.py); the database keeps its SHA-256 to find the invitation, and the
nonce only while the invitation can be used. Accepting it creates a user with a patient membership in the patient's clinic and
a PortalAccount that ties that user to exactly one patient.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Invitation(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="portal_invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    nonce = models.CharField(max_length=32, blank=True)  # erased once used or replaced
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)  # a newer invitation replaced it
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"invitation {self.code}"


class PortalAccount(models.Model):
    """The one patient a portal user may see."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="portal_account"
    )
    patient = models.OneToOneField(
        "patients.Patient", on_delete=models.PROTECT, related_name="portal_account"
    )
    invitation = models.OneToOneField(
        Invitation, null=True, on_delete=models.PROTECT, related_name="account"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"portal account of {self.patient_id}"


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the clinic")
    DONE = "done", _("Handled by the clinic")
    DECLINED = "declined", _("Not possible")


class Part(models.TextChoices):
    ANY = "any", _("Any time of day")
    MORNING = "morning", _("Morning")
    AFTERNOON = "afternoon", _("Afternoon")


class AppointmentChangeRequest(models.Model):
    """A patient asks to move an appointment to a day inside the session's window; the
    front desk moves it (in the schedule) and marks the request handled."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="change_requests"
    )
    appointment = models.ForeignKey(
        "scheduling.Appointment", on_delete=models.PROTECT, related_name="change_requests"
    )
    earliest = models.DateField(_("from"))
    latest = models.DateField(_("until"))
    part_of_day = models.CharField(
        _("time of day"), max_length=10, choices=Part.choices, default=Part.ANY
    )
    note = models.CharField(_("note for the clinic"), max_length=300, blank=True)
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    answer = models.CharField(_("answer to the patient"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latest__gte=models.F("earliest")), name="change_range_order"
            ),
            models.UniqueConstraint(
                fields=["appointment"],
                condition=models.Q(status="open"),
                name="one_open_change_request",
            ),
        ]

    def __str__(self) -> str:
        return f"change request {self.code}"
