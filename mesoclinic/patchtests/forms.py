from django import forms
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from mesoclinic.lib import clinicday
from mesoclinic.lib.forms import DateTimeInput, Form

from . import status
from .models import PatchTest, Result, Site


def this_minute():
    """Now, to the minute (the field shows it on the active clock: the clinic's)."""
    return clinicday.now().replace(second=0, microsecond=0)


def reading_text(minutes: int) -> str:
    """A reading time in the largest whole unit: "48 hours", "30 minutes", "3 days"."""
    if minutes % (24 * 60) == 0:
        n = minutes // (24 * 60)
        return ngettext("%(n)s day", "%(n)s days", n) % {"n": n}
    if minutes % 60 == 0:
        n = minutes // 60
        return ngettext("%(n)s hour", "%(n)s hours", n) % {"n": n}
    return ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}


class ProductChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return gettext("%(product)s, read after %(time)s") % {
            "product": str(obj),
            "time": reading_text(obj.patch_test_reading_minutes),
        }


class PatchTestForm(Form):
    """The product comes from the catalogue, with its reading time: nothing is retyped."""

    product = ProductChoice(
        label=_("Product tested"),
        queryset=None,
        empty_label=_("Choose a product"),
        help_text=_(
            "Products of the catalogue that need a patch test; the reading time is the catalogue's."
        ),
    )
    site = forms.ChoiceField(label=_("Where on the skin"), choices=Site.choices)
    site_detail = forms.CharField(
        label=_("Site details"),
        max_length=200,
        required=False,
        help_text=_("Which side, or where exactly when the site is “Other”."),
    )
    applied_at = forms.DateTimeField(label=_("Applied at"), widget=DateTimeInput())

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
        self.fields["applied_at"].initial = this_minute

    def clean(self):
        data = super().clean()
        if data.get("site") == Site.OTHER and not data.get("site_detail", "").strip():
            self.add_error("site_detail", _("Say where the test was put on the skin."))
        product = data.get("product")
        if data.get("applied_at") and product:
            errors = status.application_errors(
                data["applied_at"], product.patch_test_reading_minutes, timezone.now()
            )
            for field, message in errors.items():
                self.add_error("product" if field == "reading_time" else field, message)
        return data


class VoidForm(Form):
    reason = forms.CharField(
        label=_("Why is this entry wrong?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_(
            "For example: the wrong product was picked, or it was entered twice. The test "
            "stays on record, marked void, and no longer counts for treatment."
        ),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < status.MIN_VOID_REASON:
            raise forms.ValidationError(
                _("Say what was wrong with this entry (at least %(n)s characters).")
                % {"n": status.MIN_VOID_REASON}
            )
        return reason


class ReadingForm(Form):
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[
            (Result.NEGATIVE, Result.NEGATIVE.label),
            (Result.POSITIVE, Result.POSITIVE.label),
        ],
        widget=forms.RadioSelect,
    )
    read_at = forms.DateTimeField(label=_("Read at"), widget=DateTimeInput())
    reaction_notes = forms.CharField(
        label=_("Reaction seen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Redness, swelling, itching, blisters; their size. Required when positive."),
    )

    def __init__(self, *args, test: PatchTest, **kwargs):
        super().__init__(*args, **kwargs)
        self.test = test
        self.fields["read_at"].initial = this_minute

    def clean(self):
        data = super().clean()
        if data.get("result") == Result.POSITIVE and not data.get("reaction_notes", "").strip():
            self.add_error("reaction_notes", _("Describe the reaction of a positive test."))
        now = timezone.now()
        for field, message in status.reading_errors(self.test, data.get("read_at"), now).items():
            self.add_error(None if field == "__all__" else field, message)
        return data
