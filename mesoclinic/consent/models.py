import uuid

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesoclinic.core.models import AppendOnly, AppendOnlyModel  # noqa: F401 (AppendOnly re-exported)


class ConsentTemplate(AppendOnlyModel):
    """One version of the consent text of a protocol, composed from the knowledge base in
    every language. A change of the composed text is a new version."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    protocol = models.CharField(_("protocol"), max_length=50)
    version = models.PositiveIntegerField(_("version"))
    body = models.JSONField()  # language -> document (see consent.document)
    content_hash = models.CharField(max_length=64)
    knowledge_version = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["protocol", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["protocol", "version"], name="consent_template_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.protocol} v{self.version}"

    def document(self, lang: str) -> dict:
        return self.body.get(lang) or self.body["en"]


class Consent(AppendOnlyModel):
    """A patient's signed consent to one protocol with some product classes, on one version
    of the text. Never changed: a withdrawal is a separate record."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="consents"
    )
    template = models.ForeignKey(ConsentTemplate, on_delete=models.PROTECT, related_name="consents")
    language = models.CharField(_("language of the text read"), max_length=10)
    product_classes = models.JSONField(default=list)  # product class ids from the knowledge base
    signer_name = models.CharField(_("name of the signer"), max_length=200)
    signature = models.TextField(blank=True)  # PNG data URL drawn on screen; empty when typed
    typed_signature = models.BooleanField(default=False)  # the typed name is the signature
    signed_at = models.DateTimeField(default=timezone.now)
    witnessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-signed_at", "-id"]
        indexes = [models.Index(fields=["patient", "-signed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(typed_signature=True, signature="")
                | models.Q(typed_signature=False, signature__startswith="data:image/png;base64,"),
                name="consent_one_signature",
            )
        ]

    def __str__(self) -> str:
        return f"{self.signer_name} · {self.template}"

    @property
    def protocol(self) -> str:
        return self.template.protocol

    @property
    def withdrawn(self) -> "ConsentWithdrawal | None":
        try:
            return self.withdrawal
        except ObjectDoesNotExist:
            return None


class ConsentWithdrawal(AppendOnlyModel):
    consent = models.OneToOneField(Consent, on_delete=models.PROTECT, related_name="withdrawal")
    reason = models.TextField(_("reason"))
    withdrawn_at = models.DateTimeField(default=timezone.now)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"withdrawal of {self.consent}"
