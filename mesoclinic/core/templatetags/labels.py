"""{% load labels %}: knowledge ids in plain words, in the page's language, for templates
that hold a raw id (an event's protocol, a product class). An id the knowledge no longer
has is shown as it is (lib.titles)."""

from django import template

from mesoclinic.lib.titles import class_label, protocol_title

register = template.Library()


@register.filter(name="protocol_title")
def protocol_title_filter(protocol: str) -> str:
    return protocol_title(protocol) if protocol else ""


@register.filter(name="class_label")
def class_label_filter(product_class: str) -> str:
    return class_label(product_class) if product_class else ""
