from django import forms
from django.utils.translation import gettext_lazy as _

from mesoclinic.lib import money
from mesoclinic.lib.forms import DateInput
from mesoclinic.lib.forms import Form as GuardedForm
from mesoclinic.lib.forms import ModelForm as GuardedModelForm

from .models import BillingSettings, Method, PriceKind


class AmountField(forms.CharField):
    """An amount typed by a person ("1.250,50" or "1250.50") -> integer minor units."""

    def __init__(self, *args, digits: int = 2, **kwargs):
        self.digits = digits
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "decimal", "autocomplete": "off"}

    def clean(self, value):
        value = super().clean(value)
        if value in ("", None):
            return None
        try:
            return money.parse_amount(value, self.digits)
        except ValueError:
            raise forms.ValidationError(
                _("Enter an amount such as 1250.50 (no more than %(d)s decimals).")
                % {"d": self.digits}
            ) from None


class PaymentForm(GuardedForm):
    amount = AmountField(label=_("Amount"))
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    invoice = forms.ChoiceField(label=_("For invoice"), required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, invoices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invoice"].choices = [("", _("On account"))] + [
            (str(i.code), i.number_text) for i in invoices
        ]


class DepositForm(GuardedForm):
    amount = AmountField(label=_("Deposit"))
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)


class DiscountForm(GuardedForm):
    discount = AmountField(label=_("Discount"), required=False)
    discount_reason = forms.CharField(
        label=_("Reason for the discount"), max_length=200, required=False
    )


class ReasonForm(GuardedForm):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class CreditForm(ReasonForm):
    """A credit note: a reason, and per line of the invoice the amount to take back (blank:
    nothing from that line). The "all that is left" button ignores the amounts."""

    def __init__(self, *args, lines=(), digits: int = 2, **kwargs):
        super().__init__(*args, **kwargs)
        self.positions = []
        for entry in lines:
            if entry.gross <= 0:
                continue
            name = f"line_{entry.line.position}"
            self.fields[name] = AmountField(
                label=entry.line.description, required=False, digits=digits
            )
            self.fields[name].left = entry.gross
            self.positions.append(entry.line.position)

    def amounts(self) -> dict[int, int]:
        return {
            p: self.cleaned_data[f"line_{p}"]
            for p in self.positions
            if self.cleaned_data.get(f"line_{p}")
        }


class RefundForm(ReasonForm):
    amount = AmountField(label=_("Amount to give back"))


class VatForm(GuardedForm):
    name = forms.CharField(label=_("Name"), max_length=60)
    percent = forms.DecimalField(label=_("Rate (%)"), min_value=0, max_value=100, decimal_places=2)
    is_default = forms.BooleanField(label=_("Default rate"), required=False)


class PriceForm(GuardedForm):
    protocol = forms.ChoiceField(label=_("Protocol"))
    kind = forms.ChoiceField(label=_("Charged"), choices=PriceKind.choices)
    product = forms.ChoiceField(label=_("Product"), required=False)
    amount = AmountField(label=_("Price"))
    vat_rate = forms.ChoiceField(label=_("VAT rate"))


class OfferForm(GuardedForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    protocol = forms.ChoiceField(label=_("Protocol"))
    sessions = forms.IntegerField(label=_("Sessions"), min_value=1, max_value=50)
    amount = AmountField(label=_("Package price"))
    vat_rate = forms.ChoiceField(label=_("VAT rate"))


class RangeForm(GuardedForm):
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        if data.get("start") and data.get("end") and (data["end"] - data["start"]).days > 400:
            raise forms.ValidationError(_("Choose at most 400 days at a time."))
        return data


class SettingsForm(GuardedModelForm):
    class Meta:
        model = BillingSettings
        fields = [
            "currency",
            "minor_digits",
            "prices_include_vat",
            "legal_name",
            "tax_number",
            "address",
        ]
        labels = {"minor_digits": _("Decimals of the currency")}
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def clean_currency(self):
        code = (self.cleaned_data["currency"] or "").strip().upper()
        if len(code) != 3 or not code.isalpha() or not code.isascii():
            raise forms.ValidationError(_("Enter a three-letter currency code such as TRY or EUR."))
        return code

    def clean_minor_digits(self):
        digits = self.cleaned_data["minor_digits"]
        if digits > 3:
            raise forms.ValidationError(_("A currency has 0 to 3 decimals."))
        return digits
