"""Every read of the outbox, for the requesting staff member, in their own clinic: the
messages about a record (for that record's page), and the messages it gave up on."""

from django.contrib.contenttypes.models import ContentType
from django.http import Http404

from mesoclinic.accounts.actor import Actor
from mesoclinic.accounts.roles import STAFF
from mesoclinic.audit.actions import record

from .models import Message, MessageStatus


def _staff(actor: Actor | None) -> bool:
    return actor is not None and actor.role in STAFF


def messages_about(actor: Actor, about) -> list[Message]:
    """The messages about one record (an appointment...), oldest first. The caller has
    checked that the actor may see that record."""
    if not _staff(actor):
        return []
    return list(
        Message.objects.filter(
            clinic=actor.clinic,
            about_type=ContentType.objects.get_for_model(about),
            about_id=about.pk,
        ).order_by("due_at", "pk")
    )


def _failed(actor: Actor):
    return Message.objects.filter(
        clinic=actor.clinic, status=MessageStatus.FAILED, handled_at__isnull=True
    )


def failed_count(actor: Actor | None) -> int:
    """For the navigation: 0 for anyone who may not handle failed messages."""
    if not _staff(actor) or not actor.can("handle_failed_messages"):
        return 0
    return _failed(actor).count()


def failed_messages(actor: Actor, limit: int = 200) -> list[Message]:
    """The clinic's messages that could not be sent and nobody has handled, newest first."""
    actor.require("handle_failed_messages")
    found = list(_failed(actor).select_related("patient").order_by("-claimed_at", "-pk")[:limit])
    record(actor, "view", summary=f"failed messages: {len(found)}")
    return found


def get_message(actor: Actor, code) -> Message:
    actor.require("handle_failed_messages")
    try:
        return Message.objects.select_related("patient").get(clinic=actor.clinic, code=code)
    except (Message.DoesNotExist, ValueError, TypeError):
        raise Http404("no such message") from None
