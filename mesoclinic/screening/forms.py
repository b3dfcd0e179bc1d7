import datetime as dt

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mesoclinic.engine.knowledge import Knowledge, normalize
from mesoclinic.lib.forms import DateInput, Form
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


class ScreenForm(Form):
    protocol = forms.ChoiceField(label=_("Protocol"))
    planned_date = forms.DateField(
        label=_("Planned treatment date"),
        help_text=_("A screening is valid for this date only."),
        widget=DateInput(format="%Y-%m-%d"),
    )
    catalogue = forms.ModelMultipleChoiceField(
        label=_("Products intended, from the catalogue"),
        help_text=_("Their ingredients and base come from the catalogue."),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    products = forms.CharField(
        label=_("Other products, not in the catalogue (optional)"),
        help_text=_(
            "One product per line, as “Name: ingredient, ingredient”. If the product is not "
            "water-based, add its base after a semicolon, as in “Serum X: caffeine; oil”."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(
        self, *args, knowledge: Knowledge, lang: str, today: dt.date, catalogue=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.today = today
        if catalogue is None:
            del self.fields["catalogue"]
        else:
            self.fields["catalogue"].queryset = catalogue
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

    def clean(self):
        """The engine's product list: the catalogue's products, then the typed ones (a typed
        product named like a ticked one is refused, so nothing is screened twice)."""
        data = super().clean()
        picked = [p.as_engine_product() for p in data.get("catalogue") or []]
        typed = data.get("products")
        if typed is None:
            return data
        names = {normalize(p["name"]) for p in picked}
        twice = [p["name"] for p in typed if normalize(p["name"]) in names]
        if twice:
            self.add_error(
                "products",
                gettext("%(names)s is already ticked in the catalogue list: remove the line.")
                % {"names": ", ".join(twice)},
            )
        elif len(picked) + len(typed) > MAX_PRODUCTS:
            self.add_error(
                "products", gettext("List at most %(n)s products.") % {"n": MAX_PRODUCTS}
            )
        else:
            data["products"] = picked + typed
        return data


class OverrideForm(Form):
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
