from django import forms
from django.utils.translation import gettext_lazy as _

from mesoclinic.lib import clinicday
from mesoclinic.lib.forms import DateInput, Form

from .models import ConsentScope, View


class ConsentForm(Form):
    scope = forms.ChoiceField(
        label=_("The photos may be used for"), choices=ConsentScope.choices,
        widget=forms.RadioSelect, initial=ConsentScope.CLINICAL,
    )  # fmt: skip
    signer_name = forms.CharField(label=_("Name of the signer"), max_length=200)
    signed_on = forms.DateField(label=_("Date signed"), widget=DateInput)

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinic = clinic

    def clean_signed_on(self):
        return clinicday.not_future(
            self.cleaned_data["signed_on"],
            self.clinic,
            _("A consent cannot be signed in the future."),
        )


class UploadForm(Form):
    view = forms.ChoiceField(label=_("View"), choices=View.choices)
    taken_on = forms.DateField(label=_("Visit date"), widget=DateInput)
    session = forms.ChoiceField(label=_("Session"), required=False)
    area = forms.CharField(
        label=_("Body area"), max_length=60, required=False,
        help_text=_("For body photos: which area (for example: left thigh, back)."),
    )  # fmt: skip
    image = forms.FileField(
        label=_("Photo"), help_text=_("JPEG, PNG or WebP, straight from the camera."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )  # fmt: skip
    accept_issues = forms.BooleanField(
        label=_("Save it anyway: I have read what the capture check says"), required=False
    )

    def __init__(self, *args, clinic, views=None, sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        if views:
            self.fields["view"].choices = [c for c in View.choices if c[0] in views]
        self.sessions = {str(s.code): s for s in sessions}
        self.fields["session"].choices = [("", _("Not during a session"))] + [
            (str(s.code), _("Session %(n)s, %(d)s") % {"n": s.number, "d": clinicday.local_date(s.started_at, clinic).isoformat()})
            for s in sessions
        ]  # fmt: skip

    def clean_taken_on(self):
        return clinicday.not_future(
            self.cleaned_data["taken_on"],
            self.clinic,
            _("A photo cannot be taken in the future."),
            slack=1,  # a camera's own date may run a day ahead
        )

    def clean_session(self):
        code = self.cleaned_data.get("session")
        return self.sessions.get(code) if code else None


class CompareForm(Form):
    a = forms.ChoiceField(label=_("Before"))
    b = forms.ChoiceField(label=_("After"))

    def __init__(self, *args, photos=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(p.code), f"{p.taken_on:%Y-%m-%d} · {p.get_view_display()}") for p in photos]
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices
