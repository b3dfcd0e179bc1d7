from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesoclinic.lib import clinicday
from mesoclinic.lib.forms import DateTimeInput
from mesoclinic.lib.titles import class_choices

from . import status
from .models import PatchTest, Result, Site

UNITS = {"minutes": 1, "hours": 60, "days": 24 * 60}


def this_minute():
    """Now, to the minute (the field shows it on the active clock: the clinic's)."""
    return clinicday.now().replace(second=0, microsecond=0)


class PatchTestForm(forms.Form):
    substance = forms.CharField(
        label=_("Product or substance tested"),
        max_length=200,
        help_text=_("As named on the product, e.g. the cocktail's trade name or “lidocaine”."),
    )
    product_class = forms.ChoiceField(label=_("Product class"), required=False)
    site = forms.ChoiceField(label=_("Where on the skin"), choices=Site.choices)
    site_detail = forms.CharField(
        label=_("Site details"),
        max_length=200,
        required=False,
        help_text=_("Which side, or where exactly when the site is “Other”."),
    )
    applied_at = forms.DateTimeField(label=_("Applied at"), widget=DateTimeInput())
    reading_time = forms.IntegerField(
        label=_("Reading time"),
        min_value=1,
        help_text=_("From the product's instructions: how long after applying it is read."),
    )
    reading_unit = forms.ChoiceField(
        label=_("Unit of the reading time"),
        choices=[("minutes", _("minutes")), ("hours", _("hours")), ("days", _("days"))],
        initial="hours",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product_class"].choices = [("", _("Not given"))] + class_choices()
        self.fields["applied_at"].initial = this_minute

    def clean(self):
        data = super().clean()
        if data.get("site") == Site.OTHER and not data.get("site_detail", "").strip():
            self.add_error("site_detail", _("Say where the test was put on the skin."))
        if data.get("applied_at") and data.get("reading_time") and data.get("reading_unit"):
            data["reading_minutes"] = data["reading_time"] * UNITS[data["reading_unit"]]
            errors = status.application_errors(
                data["applied_at"], data["reading_minutes"], timezone.now()
            )
            for field, message in errors.items():
                self.add_error(field, message)
        return data


class ReadingForm(forms.Form):
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
