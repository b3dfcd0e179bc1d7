"""{% load outbox_tags %}{% failed_messages_link %}: in the navigation, for those who handle
failed messages, a link to the list with their number, when there are any."""

from django import template

from mesoclinic.outbox import access

register = template.Library()


@register.inclusion_tag("outbox/_nav.html", takes_context=True)
def failed_messages_link(context):
    request = context.get("request")
    actor = getattr(request, "actor", None) if request else None
    return {"count": access.failed_count(actor or None)}
