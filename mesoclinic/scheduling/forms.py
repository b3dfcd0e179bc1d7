import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from mesoclinic.lib import clinicday
from mesoclinic.lib.forms import DateInput, DateTimeInput, Form, TimeInput
from mesoclinic.lib.titles import protocol_choices

from .models import AppointmentType


class _Clinic(Form):
    """Dates and times typed at the desk are on the clinic's clock. A time the clocks skip
    or repeat on the day they change is refused, with a message that says so."""

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        self.zone = clinicday.zone(clinic)

    def _start(self, data: dict) -> dict:
        """cleaned_data["start"]: the moment of the typed date and time."""
        if data.get("date") and data.get("time"):
            try:
                data["start"] = clinicday.aware(data["date"], data["time"], self.zone)
            except clinicday.LocalTimeError as exc:
                self.add_error("time", exc)
        return data


class BookPlanForm(_Clinic):
    first_date = forms.DateField(label=_("First session on or after"), widget=DateInput)
    preferred_time = forms.TimeField(
        label=_("Preferred time"), widget=TimeInput, initial=dt.time(10, 0)
    )
    practitioner = forms.ModelChoiceField(
        label=_("Practitioner"), queryset=None, required=False, empty_label=_("Anyone")
    )
    cream_in_clinic = forms.BooleanField(
        label=_("Anaesthetic cream applied in the clinic (books its lead time)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, practitioners, cream: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practitioner"].queryset = practitioners
        self.fields["practitioner"].to_field_name = "code"
        if not cream:
            del self.fields["cream_in_clinic"]

    def clean_first_date(self):
        return clinicday.not_past(
            self.cleaned_data["first_date"], self.zone, _("Choose today or a later day.")
        )


class AppointmentForm(_Clinic):
    appointment_type = forms.ChoiceField(
        label=_("Type"),
        choices=AppointmentType.choices,
        initial=AppointmentType.TREATMENT,
        required=False,  # a form sent without it books a treatment session, as before
    )
    protocol = forms.ChoiceField(label=_("Protocol"))
    date = forms.DateField(label=_("Date"), widget=DateInput)
    time = forms.TimeField(label=_("Time"), widget=TimeInput)
    practitioner = forms.ModelChoiceField(label=_("Practitioner"), queryset=None)
    room = forms.ModelChoiceField(label=_("Room"), queryset=None)
    cream_in_clinic = forms.BooleanField(
        label=_("Anaesthetic cream applied in the clinic"), required=False
    )

    def __init__(self, *args, practitioners, rooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["protocol"].choices = protocol_choices()
        for name, qs in (("practitioner", practitioners), ("room", rooms)):
            self.fields[name].queryset = qs
            self.fields[name].to_field_name = "code"

    def clean_appointment_type(self):
        return self.cleaned_data.get("appointment_type") or AppointmentType.TREATMENT

    def clean(self):
        return self._start(super().clean())

    @property
    def start(self) -> dt.datetime:
        return self.cleaned_data["start"]


class RescheduleForm(_Clinic):
    date = forms.DateField(label=_("New date"), widget=DateInput)
    time = forms.TimeField(label=_("New time"), widget=TimeInput)
    practitioner = forms.ModelChoiceField(
        label=_("Practitioner"), queryset=None, required=False, empty_label=_("Keep")
    )
    room = forms.ModelChoiceField(
        label=_("Room"), queryset=None, required=False, empty_label=_("Keep")
    )

    def __init__(self, *args, practitioners, rooms, **kwargs):
        super().__init__(*args, **kwargs)
        for name, qs in (("practitioner", practitioners), ("room", rooms)):
            self.fields[name].queryset = qs
            self.fields[name].to_field_name = "code"

    def clean(self):
        return self._start(super().clean())

    @property
    def start(self) -> dt.datetime:
        return self.cleaned_data["start"]


class SlotBookForm(_Clinic):
    """Booking from a free slot of the calendar: the slot is prefilled; a practitioner or
    room left on "any" is the first free one for the protocol."""

    patient = forms.CharField(widget=forms.HiddenInput, required=False)
    appointment_type = forms.ChoiceField(
        label=_("Type"), choices=AppointmentType.choices, initial=AppointmentType.TREATMENT
    )
    protocol = forms.ChoiceField(label=_("Protocol"))
    date = forms.DateField(label=_("Date"), widget=DateInput)
    time = forms.TimeField(label=_("Time"), widget=TimeInput)
    practitioner = forms.ModelChoiceField(
        label=_("Practitioner"), queryset=None, required=False, empty_label=_("Any free")
    )
    room = forms.ModelChoiceField(
        label=_("Room"), queryset=None, required=False, empty_label=_("Any free")
    )
    cream_in_clinic = forms.BooleanField(
        label=_("Anaesthetic cream applied in the clinic"), required=False
    )

    def __init__(self, *args, practitioners, rooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["protocol"].choices = protocol_choices()
        for name, qs in (("practitioner", practitioners), ("room", rooms)):
            self.fields[name].queryset = qs
            self.fields[name].to_field_name = "code"

    def clean_patient(self):
        if not self.cleaned_data.get("patient"):
            raise forms.ValidationError(_("Find the patient and choose them."))
        return self.cleaned_data["patient"]

    def clean(self):
        return self._start(super().clean())

    @property
    def start(self) -> dt.datetime:
        return self.cleaned_data["start"]


class CancelForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class WaitingForm(Form):
    protocol = forms.ChoiceField(label=_("Protocol"))
    earliest = forms.DateField(label=_("From"), widget=DateInput)
    latest = forms.DateField(label=_("Until"), widget=DateInput)
    practitioner = forms.ModelChoiceField(
        label=_("Practitioner"), queryset=None, required=False, empty_label=_("Anyone")
    )
    notes = forms.CharField(label=_("Notes"), max_length=200, required=False)

    def __init__(self, *args, practitioners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["protocol"].choices = protocol_choices()
        self.fields["practitioner"].queryset = practitioners
        self.fields["practitioner"].to_field_name = "code"

    def clean(self):
        data = super().clean()
        if data.get("earliest") and data.get("latest") and data["latest"] < data["earliest"]:
            self.add_error("latest", _("The last day cannot come before the first."))
        return data


HOURS_HELP = _('One stretch per line, for example "mon-fri 09:00-17:00" or "sat 10:00-14:00".')


class PractitionerForm(Form):
    user = forms.ModelChoiceField(label=_("Staff member"), queryset=None)
    protocols = forms.MultipleChoiceField(
        label=_("Protocols performed"), widget=forms.CheckboxSelectMultiple
    )
    hours = forms.CharField(
        label=_("Working hours"), widget=forms.Textarea(attrs={"rows": 3}), help_text=HOURS_HELP
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].to_field_name = "code"
        self.fields["protocols"].choices = protocol_choices()


class RoomForm(Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    protocols = forms.MultipleChoiceField(
        label=_("Protocols it suits"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["protocols"].choices = protocol_choices()


class OpeningForm(Form):
    hours = forms.CharField(
        label=_("Opening hours"), widget=forms.Textarea(attrs={"rows": 3}), help_text=HOURS_HELP
    )


class AbsenceForm(_Clinic):
    practitioner = forms.ModelChoiceField(label=_("Practitioner"), queryset=None)
    start = forms.DateTimeField(label=_("From"), widget=DateTimeInput)
    end = forms.DateTimeField(label=_("Until"), widget=DateTimeInput)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, practitioners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practitioner"].queryset = practitioners
        self.fields["practitioner"].to_field_name = "code"

    def clean(self):
        data = super().clean()
        for f in ("start", "end"):
            if data.get(f):
                try:
                    data[f] = clinicday.as_local(data[f], self.zone)
                except clinicday.LocalTimeError as exc:
                    self.add_error(f, exc)
                    data.pop(f, None)
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The end must come after the start."))
        return data
