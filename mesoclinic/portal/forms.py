from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from mesoclinic.accounts.models import User
from mesoclinic.consent.signature import check_signature
from mesoclinic.followup.forms import ReportForm
from mesoclinic.lib.forms import DateInput, Form

from .models import Part


class AcceptForm(Form):
    username = forms.RegexField(
        label=_("Choose a user name"),
        regex=r"^[\w.@+-]{3,150}$",
        help_text=_("3 or more letters, digits or . @ + - _"),
        error_messages={"invalid": _("Use 3 or more letters, digits or . @ + - _ only.")},
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; not a common password, not only digits."),
    )
    password2 = forms.CharField(
        label=_("The same password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, patient, **kwargs):
        super().__init__(*args, **kwargs)
        self.patient = patient

    def clean_username(self):
        name = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=name).exists():
            raise forms.ValidationError(_("This user name is taken; choose another."))
        return name

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            user = User(
                username=data.get("username", ""),
                email=self.patient.email,
                first_name=self.patient.given_name,
                last_name=self.patient.family_name,
            )
            try:
                validate_password(p1, user)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class ConsentForm(Form):
    understood = forms.BooleanField(
        label=_("I have read the text above and my questions were answered."),
        error_messages={"required": _("Confirm that you have read the text.")},
    )
    signer_name = forms.CharField(label=_("Your full name"), max_length=200)
    signature = forms.CharField(
        required=False,
        widget=forms.HiddenInput,
        error_messages={"required": _("Sign in the box.")},
    )

    def clean_signature(self):
        value = self.cleaned_data["signature"].strip()
        if not value:
            raise forms.ValidationError(_("Sign in the box with your finger."))
        check_signature(value)
        return value


class ChangeForm(Form):
    earliest = forms.DateField(label=_("From"), widget=DateInput())
    latest = forms.DateField(label=_("Until"), widget=DateInput())
    part_of_day = forms.ChoiceField(
        label=_("Time of day"), choices=Part.choices, widget=forms.RadioSelect, initial=Part.ANY
    )
    note = forms.CharField(
        label=_("Anything the clinic should know (optional)"), max_length=300, required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("earliest") and data.get("latest") and data["latest"] < data["earliest"]:
            self.add_error("latest", _("This day is before the first day."))
        return data


class PortalReportForm(ReportForm):
    session = forms.ChoiceField(label=_("After which session?"))

    field_order = ["session", "symptoms", "fever", "severity", "notes", "photo"]
