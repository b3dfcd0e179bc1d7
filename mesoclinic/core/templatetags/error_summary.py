"""{% load error_summary %}{% error_summary form %}: at the top of a long form, a summary that
names each field in error and links to it (mesoclinic/lib/forms.error_summary). It takes the
focus when the page opens (autofocus on a tabindex=-1 box), so a screen reader announces it
and the keyboard starts there."""

from django import template

from mesoclinic.lib.forms import error_summary as summarise

register = template.Library()


@register.inclusion_tag("_error_summary.html")
def error_summary(form):
    return {"items": summarise(form)}
