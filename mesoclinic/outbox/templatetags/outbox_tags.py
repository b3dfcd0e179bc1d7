"""{% load outbox_tags %}{% failed_messages_link %}: in the navigation, for those who handle
failed messages, a link to the list with their number, when there are any; and for all
staff, a warning when no background worker is sending the clinic's messages."""

from django import template

from mesoclinic.accounts.roles import STAFF
from mesoclinic.outbox import access, health

register = template.Library()


@register.inclusion_tag("outbox/_nav.html", takes_context=True)
def failed_messages_link(context):
    request = context.get("request")
    actor = getattr(request, "actor", None) if request else None
    staff = bool(actor) and actor.role in STAFF
    worker = health.cached_worker_status() if staff else "ok"
    return {"count": access.failed_count(actor or None), "worker_down": worker != "ok"}
