from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from mesoclinic.lib.forms import DateInput, Form, ModelForm
from mesoclinic.lib.titles import class_choices

from . import rules
from .models import QUANTITY, Product

QUANTITY_ATTRS = {"step": "0.001", "inputmode": "decimal"}


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


class PositiveQuantity(forms.DecimalField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.NumberInput(attrs=QUANTITY_ATTRS))
        super().__init__(**QUANTITY, **kwargs)

    def validate(self, value):
        super().validate(value)
        if value is not None and value <= 0:
            raise forms.ValidationError(_("Enter a quantity greater than zero."))


class ProductForm(ModelForm):
    refusal_fields = {"ingredients": "ingredients_text"}  # the action's field -> this form's
    product_class = forms.ChoiceField(label=_("Product class"))
    ingredients_text = forms.CharField(
        label=_("Ingredients (one per line)"),
        help_text=_("As on the label. Screening checks them against the patient's allergies."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    class Meta:
        model = Product
        fields = [
            "name",
            "maker",
            "product_class",
            "vehicle",
            "unit",
            "patch_test_reading_minutes",
            "multi_dose",
            "discard_after_opening_hours",
            "low_stock_threshold",
            "is_active",
        ]
        help_texts = {
            "patch_test_reading_minutes": _("Leave empty when this product needs no patch test."),
            "discard_after_opening_hours": _("Required for a multi-dose vial."),
            "low_stock_threshold": _(
                "The low-stock list shows the product when its usable stock falls below this."
            ),
        }
        widgets = {"low_stock_threshold": forms.NumberInput(attrs=QUANTITY_ATTRS)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product_class"].choices = [("", "---------"), *class_choices()]
        self.order_fields(["name", "maker", "product_class", "ingredients_text"])
        if self.instance.pk:
            self.fields["ingredients_text"].initial = "\n".join(self.instance.ingredients)
        else:
            del self.fields["is_active"]

    def clean(self):
        data = super().clean()
        data["ingredients"] = _lines(data.get("ingredients_text") or "")
        checked = {f: data.get(f) for f in data if f not in self.errors}
        problems = rules.product_problems(checked)
        for field, message in problems.items():
            target = "ingredients_text" if field == "ingredients" else field
            if target not in self.errors:
                self.add_error(target, message)
        return data

    def _post_clean(self):
        pass  # the action validates and saves; the form never saves itself


class LotForm(Form):
    lot_number = forms.CharField(label=_("Lot number"), max_length=64)
    expiry = forms.DateField(label=_("Expiry date"), widget=DateInput())
    quantity = PositiveQuantity(label=_("Quantity received"))


class AdjustForm(Form):
    delta = forms.DecimalField(
        label=_("Change"),
        help_text=_("Positive to add, negative to remove (e.g. -1 for a broken ampoule)."),
        widget=forms.NumberInput(attrs=QUANTITY_ATTRS),
        **QUANTITY,
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def clean_delta(self):
        delta = self.cleaned_data["delta"]
        if delta == Decimal(0):
            raise forms.ValidationError(_("Enter a change other than zero."))
        return delta


class DiscardForm(Form):
    quantity = PositiveQuantity(
        label=_("Quantity to discard"),
        help_text=_("Leave empty to discard all that is left."),
        required=False,
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class RecallForm(Form):
    reason = forms.CharField(
        label=_("Reason for the recall"),
        help_text=_("For example the maker's recall notice and its date."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
