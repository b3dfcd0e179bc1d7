"""Article drafts: a second save updates the same draft; approval is once, in the own
clinic; the article list shows only the own clinic's versions."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from mesoclinic.audit.models import AuditEvent
from mesoclinic.education import access, actions
from mesoclinic.education.models import ArticleVersion
from tests.support import personas


def test_a_second_save_updates_the_draft_and_approval_is_once(alice):
    act = personas.actor(alice)
    first = actions.save_draft(act, "aftercare", {}, "first")
    again = actions.save_draft(act, "aftercare", {}, "second")
    assert again.pk == first.pk and again.note == "second" and again.number == 1
    assert list(
        AuditEvent.objects.filter(object_code=str(first.code))
        .values_list("action", flat=True)
        .order_by("at", "id")
    ) == ["create", "update"]
    approved = actions.approve(act, again)
    assert approved.is_approved
    assert actions.approve(act, approved).approved_at == approved.approved_at
    assert AuditEvent.objects.filter(action="approve").count() == 1
    assert actions.save_draft(act, "aftercare", {}, "next").number == 2  # a new draft


def test_another_clinic_cannot_approve_or_open_a_version(alice, charlie):
    draft = actions.save_draft(personas.actor(alice), "aftercare", {}, "x")
    stranger = personas.actor(charlie)
    with pytest.raises(PermissionDenied):
        actions.approve(stranger, draft)
    with pytest.raises(Http404):
        access.get_version(stranger, draft.code)
    assert access.clinic_article(stranger, "aftercare") is None
    mine = {r["slug"]: r for r in access.article_list(personas.actor(alice))}
    theirs = {r["slug"]: r for r in access.article_list(stranger)}
    assert mine["aftercare"]["draft"] and not theirs["aftercare"]["draft"]
    assert not ArticleVersion.objects.filter(status="approved").exists()
