from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mesoclinic.lib import clinicday
from mesoclinic.lib.forms import ModelForm

from .models import Clinic
from .roles import STAFF, Role

STAFF_ROLES = [(value, label) for value, label in Role.choices if value in STAFF]


class ClinicForm(ModelForm):
    """The clinic's own settings. The time zone is chosen from the zones this installation
    knows; the model's validator refuses anything else too."""

    timezone = forms.ChoiceField(
        label=_("Time zone"),
        choices=clinicday.zone_choices,
        help_text=_("The clinic's clock: today's date, the schedule and every time shown."),
    )

    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=lambda: [(code, _(name)) for code, name in settings.LANGUAGES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    two_factor_roles = forms.MultipleChoiceField(
        label=_("Two-factor sign-in required for"),
        choices=STAFF_ROLES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Staff in these roles must set up a second factor before they can work."),
    )
    logo_file = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("A JPEG, PNG or WebP picture; shown at the top of every page."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    class Meta:
        model = Clinic
        fields = [
            "name",
            "timezone",
            "phone",
            "on_call_email",
            "address",
            "sender_email",
            "languages",
            "two_factor_roles",
        ]
        help_texts = {"on_call_email": _("Side effects above “expected” are e-mailed here.")}
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].error_messages["invalid_choice"] = _(
            "“%(value)s” is not a time zone. Choose one from the list."
        )
