"""{% load followup_tags %}{% alerts_badge %}: the link to the clinic's alert dashboard in
the navigation, with the number of open alerts (refreshed by htmx every 30 seconds)."""

from django import template

from mesoclinic.followup import access, policy
from mesoclinic.followup.models import Level
from mesoclinic.lib.titles import symptom_label

register = template.Library()


@register.inclusion_tag("followup/_nav.html", takes_context=True)
def alerts_badge(context):
    request = context.get("request")
    actor = getattr(request, "actor", None) if request else None
    if not policy.can(actor or None, "view_adverse_events"):
        return {"show": False}
    return {"show": True, "count": access.open_alert_count(actor)}


@register.filter
def symptom_labels(ids) -> str:
    """Symptom ids in plain words, in the current language."""
    return ", ".join(symptom_label(s) for s in ids or [])


@register.filter
def level_class(level: str) -> str:
    return {
        "expected": "ok",
        "contact_clinic": "warn",
        "urgent": "danger",
        "emergency": "danger",
    }.get(level, "warn")


@register.filter
def level_label(level: str) -> str:
    """A triage level (expected, contact_clinic, urgent, emergency) in words."""
    try:
        return Level(level).label
    except ValueError:
        return level or ""


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key, {})
