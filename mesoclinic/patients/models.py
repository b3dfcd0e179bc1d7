import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mesoclinic.engine.knowledge import normalize


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Not stated")


class Fitzpatrick(models.TextChoices):
    I = "I", _("I: always burns, never tans")  # noqa: E741
    II = "II", _("II: always burns, tans with difficulty")
    III = "III", _("III: sometimes burns, tans about average")
    IV = "IV", _("IV: rarely burns, tans easily")
    V = "V", _("V: never burns, tans very easily (brown skin)")
    VI = "VI", _("VI: never burns (heavily pigmented skin)")


def digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


class Patient(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="patients")
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # every message, the portal and the aftercare sheet; blank: the clinic's language
    language = models.CharField(
        _("preferred language"), max_length=8, blank=True, choices=settings.LANGUAGES
    )
    # derived, for fast accent-insensitive search
    search_name = models.CharField(max_length=220, editable=False)
    phone_digits = models.CharField(max_length=40, editable=False, blank=True)
    current_intake = models.ForeignKey(
        "patients.IntakeVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        indexes = [
            models.Index(fields=["clinic", "family_name", "given_name"]),
            # the duplicate check on registering (access.possible_duplicates): one index
            # lookup each for "same name and date of birth" and "same phone" (issue 18)
            models.Index(
                fields=["clinic", "search_name", "birth_date"], name="patients_dup_name_idx"
            ),
            models.Index(fields=["clinic", "phone_digits"], name="patients_dup_phone_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.search_name = normalize(f"{self.given_name} {self.family_name}")
        self.phone_digits = digits(self.phone)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "search_name",
                "phone_digits",
                "updated_at",
            }
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class IntakeSource(models.TextChoices):
    STAFF = "staff", _("Entered by staff")
    PORTAL = "portal", _("Entered by the patient")
    PHONE = "phone", _("Taken by phone")  # by the front desk, on the patient's behalf


class IntakeVersion(models.Model):
    """One filled-in medical history questionnaire. Never changed: a change is a new version."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="intakes")
    number = models.PositiveIntegerField()
    answers = models.JSONField(default=dict)  # screening facts; an absent key = not answered
    fitzpatrick = models.CharField(
        _("Fitzpatrick skin type"), max_length=3, choices=Fitzpatrick.choices, blank=True
    )
    medicines = models.JSONField(default=list)  # [{"name": str, "prescribed": bool}]
    conditions = models.JSONField(default=list)  # [str]
    notes = models.TextField(_("other notes"), blank=True)
    source = models.CharField(
        max_length=10, choices=IntakeSource.choices, default=IntakeSource.STAFF
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "number"], name="intake_number_unique")
        ]

    def __str__(self) -> str:
        return f"intake {self.number} of {self.patient_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("an intake version is never changed; record a new one")
        super().save(*args, **kwargs)
