"""The clinic's phone beside every "contact your clinic" advice: as a sentence in plain
text (e-mails, SMS) and as a tap-to-call link in HTML (clinic_tags)."""

from django.utils.translation import gettext as _

from .phone import tel_href


def phone_line(clinic) -> str:
    """ "Your clinic's phone: +90 212 555 01 01" ("" when the clinic has none)."""
    phone = getattr(clinic, "phone", "") if clinic is not None else ""
    if not phone:
        return ""
    return _("Call %(clinic)s: %(phone)s") % {"clinic": clinic.name, "phone": phone}


def call_the_clinic(clinic) -> str:
    """ "call the clinic (+90 212 555 01 01)" or "call the clinic"."""
    phone = getattr(clinic, "phone", "") if clinic is not None else ""
    if phone:
        return _("call the clinic (%(phone)s)") % {"phone": phone}
    return _("call the clinic")


__all__ = ["call_the_clinic", "phone_line", "tel_href"]
