from django import template

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
    return moment.astimezone(zone).strftime("%H:%M") if moment else ""


@register.filter
def local(moment, zone):
    """YYYY-MM-DD HH:MM of an aware moment in the clinic's time zone."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else ""
