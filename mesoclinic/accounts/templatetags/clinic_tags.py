"""The clinic's phone beside every "contact your clinic" advice, as a tap-to-call link:
`{% clinic_phone clinic %}` (nothing when the clinic has no phone)."""

from django import template

from mesoclinic.lib.phone import tel_href

register = template.Library()


@register.inclusion_tag("accounts/_clinic_phone.html")
def clinic_phone(clinic):
    phone = getattr(clinic, "phone", "") if clinic is not None else ""
    return {"clinic": clinic, "phone": phone, "href": tel_href(phone)}
