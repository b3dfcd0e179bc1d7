"""Phone numbers as people type them ("+90 212 555 01 01", "(0212) 555-0101"): checked,
and turned into a tap-to-call `tel:` link."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALLOWED = set("0123456789+ ()-./")


def validate_phone(value: str) -> None:
    """Digits, spaces and + ( ) - . / only; 6 to 15 digits (E.164 has at most 15); a +
    only at the start."""
    value = (value or "").strip()
    if not value:
        return
    if any(ch not in ALLOWED for ch in value):
        raise ValidationError(
            _("A phone number may hold digits, spaces and + ( ) - . / only."), code="chars"
        )
    if "+" in value[1:]:
        raise ValidationError(_("A + may only begin the phone number."), code="plus")
    count = sum(ch.isdigit() for ch in value)
    if count < 6:
        raise ValidationError(_("The phone number is too short."), code="short")
    if count > 15:
        raise ValidationError(_("The phone number is too long."), code="long")


def tel_href(value: str) -> str:
    """ "+90 (212) 555-01 01" -> "tel:+902125550101"; "" for no number."""
    value = (value or "").strip()
    digits = "".join(ch for ch in value if ch.isdigit())
    if not digits:
        return ""
    return "tel:" + ("+" if value.startswith("+") else "") + digits
