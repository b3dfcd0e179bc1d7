from django import forms
from django.utils.translation import gettext_lazy as _

from mesoclinic.lib import clinicday
from mesoclinic.lib.forms import ModelForm

from .models import Clinic


class ClinicForm(ModelForm):
    """The clinic's own settings. The time zone is chosen from the zones this installation
    knows; the model's validator refuses anything else too."""

    timezone = forms.ChoiceField(
        label=_("Time zone"),
        choices=clinicday.zone_choices,
        help_text=_("The clinic's clock: today's date, the schedule and every time shown."),
    )

    class Meta:
        model = Clinic
        fields = ["name", "timezone", "phone", "on_call_email"]
        help_texts = {"on_call_email": _("Side effects above “expected” are e-mailed here.")}
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].error_messages["invalid_choice"] = _(
            "“%(value)s” is not a time zone. Choose one from the list."
        )
