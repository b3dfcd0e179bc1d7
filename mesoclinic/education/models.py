"""A clinic's own versions of the packaged patient-education articles.

The packaged text (mesoclinic/knowledge/articles) is version 0 of every article. A
physician or clinic admin edits a section's text in English and Turkish (a draft) and
approves it; every approved version is kept and never changed. Numbers are never part of
the edited text: they stay {placeholders} filled from the knowledge base.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mesoclinic.core.sealed import SealedModel


class Article(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    slug = models.SlugField(_("article"), max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("article")
        constraints = [
            models.UniqueConstraint(fields=["clinic", "slug"], name="article_slug_per_clinic")
        ]

    def __str__(self) -> str:
        return self.slug


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class ImmutableVersion(Exception):
    pass


class ArticleVersion(SealedModel):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    # section id -> {"en": body, "tr": body}; sections not listed keep the packaged text
    sections = models.JSONField(default=dict)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    status = models.CharField(
        max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    articles_version = models.CharField(max_length=32)  # the packaged text it was edited from
    knowledge_version = models.CharField(max_length=32)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="article_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.article.slug} v{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            stored = ArticleVersion.objects.filter(pk=self.pk, status=VersionStatus.APPROVED)
            if stored.exists():
                raise ImmutableVersion("an approved article version is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableVersion("article versions are kept")

    @classmethod
    def sealed_q(cls) -> models.Q:
        return models.Q(status=VersionStatus.APPROVED)

    @property
    def is_approved(self) -> bool:
        return self.status == VersionStatus.APPROVED
