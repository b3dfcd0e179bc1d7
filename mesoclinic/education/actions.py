"""Writes: a clinic's draft of an article, and its approval. Each owns its transaction and
its audit entry."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.accounts.actor import Actor
from mesoclinic.audit.actions import record
from mesoclinic.lib.refusals import Forbidden

from .access import packaged
from .models import Article, ArticleVersion, VersionStatus


def can_edit(actor: Actor | None) -> bool:
    """The physician (clinical content) and the clinic admin change what patients read."""
    return actor is not None and actor.can("edit_articles")


def require_editor(actor: Actor) -> None:
    if not can_edit(actor):
        raise Forbidden(
            _("Only a physician or the clinic admin edits and approves articles."), "edit_articles"
        )


@transaction.atomic
def save_draft(actor: Actor, slug: str, sections: dict[str, dict[str, str]], note: str = ""):
    """Create or update the clinic's draft of an article. `sections` holds only the edited
    bodies ({section id: {"en": ..., "tr": ...}}), already checked by the form."""
    require_editor(actor)
    k, arts = packaged()
    article, _ = Article.objects.get_or_create(clinic=actor.clinic, slug=slug)
    article = Article.objects.select_for_update().get(pk=article.pk)
    draft = article.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is None:
        last = article.versions.order_by("-number").values_list("number", flat=True).first()
        draft = ArticleVersion(article=article, number=(last or 0) + 1, created_by=actor.user)
        verb = "create"
    else:
        verb = "update"
    draft.sections = sections
    draft.note = note[:300]
    draft.articles_version = arts.version
    draft.knowledge_version = k.version
    draft.save()
    record(
        actor,
        verb,
        draft,
        summary=f"article {slug} draft v{draft.number}",
        detail={"sections": sorted(sections)},
    )
    return draft


@transaction.atomic
def approve(actor: Actor, version: ArticleVersion) -> ArticleVersion:
    """Approve a draft: from now on answers and the article use it. Never changed again."""
    require_editor(actor)
    version = ArticleVersion.objects.select_for_update().get(pk=version.pk)
    if version.article.clinic_id != actor.clinic.pk:
        raise PermissionDenied("another clinic's article")
    if version.is_approved:
        return version
    version.status = VersionStatus.APPROVED
    version.approved_by = actor.user
    version.approved_at = timezone.now()
    version.save()
    record(
        actor,
        "approve",
        version,
        summary=f"article {version.article.slug} v{version.number} approved",
        detail={"sections": sorted(version.sections), "articles_version": version.articles_version},
    )
    return version
