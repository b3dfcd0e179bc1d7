import datetime as dt

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from mesoclinic.accounts.roles import STAFF, Role
from mesoclinic.lib import clinicday
from mesoclinic.lib.phone import validate_phone
from mesoclinic.scheduling.models import Weekday

STAFF_ROLES = [(value, label) for value, label in Role.choices if value in STAFF]


def language_choices():
    return [(code, _(name)) for code, name in settings.LANGUAGES]


class PasswordPair(forms.Form):
    """A new password typed twice, checked by the installation's password validators."""

    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html,
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_password2(self):
        one, two = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if one and two and one != two:
            raise forms.ValidationError(_("The two passwords differ."))
        return two


class SetupForm(PasswordPair):
    """The first-run set-up: the clinic, its hours and its first clinic admin."""

    name = forms.CharField(label=_("Clinic name"), max_length=200)
    address = forms.CharField(
        label=_("Address"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=40,
        validators=[validate_phone],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    timezone = forms.ChoiceField(
        label=_("Time zone"), choices=clinicday.zone_choices, initial="Europe/Istanbul"
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=language_choices,
        initial=["en", "tr"],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The languages patients and staff may choose."),
    )
    days = forms.TypedMultipleChoiceField(
        label=_("Open on"),
        choices=Weekday.choices,
        coerce=int,
        initial=[0, 1, 2, 3, 4],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    opens = forms.TimeField(
        label=_("Opens at"), initial=dt.time(9), widget=forms.TimeInput(attrs={"type": "time"})
    )
    closes = forms.TimeField(
        label=_("Closes at"), initial=dt.time(18), widget=forms.TimeInput(attrs={"type": "time"})
    )
    username = forms.CharField(
        label=_("Your user name (clinic admin)"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    email = forms.EmailField(label=_("Your e-mail"), required=False)
    field_order = [
        "name", "address", "phone", "timezone", "languages", "days", "opens", "closes",
        "username", "email", "password1", "password2",
    ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].error_messages["invalid_choice"] = _(
            "“%(value)s” is not a time zone. Choose one from the list."
        )

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens"), data.get("closes")
        if opens and closes and closes <= opens:
            self.add_error("closes", _("Closing time must be after opening time."))
        return data

    def hours(self):
        data = self.cleaned_data
        return [(day, data["opens"], data["closes"]) for day in data.get("days") or []]


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=STAFF_ROLES)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=STAFF_ROLES)


class AcceptForm(PasswordPair):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    field_order = ["first_name", "last_name", "username", "password1", "password2"]
