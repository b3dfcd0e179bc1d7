from django import template
from django.utils.translation import get_language

from mesoclinic.lib import money as money_lib

register = template.Library()


@register.filter
def money(amount, billing):
    """Minor units as the clinic's currency, in the page's language: {{ x|money:billing }}.
    `billing` is the clinic's BillingSettings or an invoice (currency, minor_digits)."""
    if amount is None or amount == "":
        return ""
    return money_lib.format_amount(
        int(amount), billing.currency, billing.minor_digits, get_language() or "en"
    )


@register.filter
def plain_amount(amount, billing):
    """Minor units as a plain decimal for inputs and machine-read markup (never localised)."""
    return str(money_lib.as_decimal(int(amount), billing.minor_digits))


@register.filter
def absolute(amount):
    return abs(int(amount))
