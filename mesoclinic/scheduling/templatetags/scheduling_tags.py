from django import template

from mesoclinic.lib import clinicday

register = template.Library()


@register.filter
def get(mapping, key):
    """mapping[key], or None."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def local_time(moment, zone):
    """HH:MM of an aware moment in the clinic's time zone."""
    return f"{clinicday.local(moment, zone):%H:%M}" if moment else ""


@register.filter
def local(moment, zone):
    """YYYY-MM-DD HH:MM of an aware moment in the clinic's time zone."""
    return clinicday.local_text(moment, zone) if moment else ""
