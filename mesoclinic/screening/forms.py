import datetime as dt

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mesoclinic.engine.knowledge import Knowledge, normalize
from mesoclinic.lib.forms import DateInput
from mesoclinic.lib.titles import protocol_choices

from .actions import MAX_AHEAD_DAYS, MAX_PRODUCTS, MAX_REASON, MIN_REASON

MAX_NAME = 100


def parse_products(value: str) -> list[dict]:
    """One product per line, "Name: ingredient, ingredient", optionally followed by
    "; base" when the product is not water-based. Every bad line is named."""
    products: list[dict] = []
    errors: list[str] = []
    seen: set[str] = set()
    for n, raw in enumerate(value.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        name, colon, rest = line.partition(":")
        name = name.strip()
        ingredients_text, semicolon, vehicle = rest.partition(";")
        ingredients = [i.strip() for i in ingredients_text.split(",") if i.strip()]
        vehicle = vehicle.strip()
        problem = None
        if not colon or not name:
            problem = gettext("write the product as “Name: ingredient, ingredient”.")
        elif not ingredients:
            problem = gettext(
                "list the ingredients of %(name)s after the colon, separated by commas."
            )
        elif semicolon and (not vehicle or ";" in vehicle):
            problem = gettext(
                "give one base after the semicolon (for example “oil”), or remove it."
            )
        elif max(len(s) for s in [name, vehicle, *ingredients]) > MAX_NAME:
            problem = gettext("a name is longer than %(max)s characters.")
        elif normalize(name) in seen:
            problem = gettext("%(name)s is listed twice.")
        if problem:
            problem = problem % {"name": name, "max": MAX_NAME}
            errors.append(gettext("Line %(n)s: %(problem)s") % {"n": n, "problem": problem})
            continue
        seen.add(normalize(name))
        product = {"name": name, "ingredients": ingredients}
        if vehicle:
            product["vehicle"] = vehicle
        products.append(product)
    if len(products) > MAX_PRODUCTS:
        errors.append(gettext("List at most %(n)s products.") % {"n": MAX_PRODUCTS})
    if errors:
        raise forms.ValidationError(errors)
    return products


class ScreenForm(forms.Form):
    protocol = forms.ChoiceField(label=_("Protocol"))
    planned_date = forms.DateField(
        label=_("Planned treatment date"),
        help_text=_("A screening is valid for this date only."),
        widget=DateInput(format="%Y-%m-%d"),
    )
    products = forms.CharField(
        label=_("Products intended (optional)"),
        help_text=_(
            "One product per line, as “Name: ingredient, ingredient”. If the product is not "
            "water-based, add its base after a semicolon, as in “Serum X: caffeine; oil”."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args, knowledge: Knowledge, lang: str, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["protocol"].choices = [("", _("Choose a protocol"))] + protocol_choices(
            lang, knowledge
        )
        self.fields["planned_date"].initial = today

    def clean_planned_date(self):
        when = self.cleaned_data["planned_date"]
        if when < self.today:
            raise forms.ValidationError(
                _("The planned date has passed: screen for today or later.")
            )
        if when > self.today + dt.timedelta(days=MAX_AHEAD_DAYS):
            raise forms.ValidationError(_("The planned date is more than a year ahead."))
        return when

    def clean_products(self):
        return parse_products(self.cleaned_data.get("products", ""))


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the override"),
        help_text=_(
            "What you checked with the patient, and why treatment may go ahead. "
            "Stored with your name and kept for good."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_REASON,
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < MIN_REASON:
            raise forms.ValidationError(
                _("Write the reason for the override (at least %(n)s characters).")
                % {"n": MIN_REASON}
            )
        return reason
