from django import forms
from django.utils.translation import gettext_lazy as _

from mesoclinic.lib.forms import DateInput, DateTimeInput, Form
from mesoclinic.lib.titles import protocol_choices, symptom_choices

from .actions import describes_sign
from .files import clean_photo
from .models import CTCAE_GRADES, GAIS_LABELS, Level, Outcome, Severity


class SymptomsForm(Form):
    """What the patient notices on the treated skin; the engine triages it."""

    symptoms = forms.MultipleChoiceField(
        label=_("What do you notice on or around the treated skin?"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    fever = forms.BooleanField(label=_("I have a fever (38 °C or more)"), required=False)
    severity = forms.ChoiceField(
        label=_("How bad is it?"),
        choices=Severity.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    notes = forms.CharField(
        label=_("Anything else you want to tell us (optional)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    photo = forms.FileField(
        label=_("A photo of the area (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["symptoms"].choices = symptom_choices()

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        return clean_photo(upload) if upload else None

    def ticked(self, data) -> bool:
        return bool(data.get("symptoms") or data.get("fever"))

    def noticed(self, data) -> bool:
        """Something ticked, or notes that describe a warning sign (read by the engine's
        warning-sign detector): those are triaged even with nothing ticked."""
        return self.ticked(data) or describes_sign(data.get("notes") or "")

    def clean(self):
        data = super().clean()
        if self.ticked(data) and not data.get("severity"):
            self.add_error("severity", _("Say how bad it is."))
        return data


class ReportForm(SymptomsForm):
    """A side-effect report: something must be ticked."""

    def clean(self):
        data = super().clean()
        if not self.noticed(data) and "symptoms" not in self.errors:
            self.add_error(
                "symptoms", _("Tick at least one thing you notice, or “Something else”.")
            )
        return data


class StaffReportForm(ReportForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["symptoms"].label = _("Symptoms reported")
        self.fields["fever"].label = _("Fever (38 °C or more)")
        self.fields["severity"].label = _("Severity, as the patient describes it")
        self.fields["notes"].label = _("Notes")


class CheckInForm(SymptomsForm):
    WELL, SOMETHING = "well", "something"
    how = forms.ChoiceField(
        label=_("How is the treated skin?"),
        choices=[(WELL, _("All is well")), (SOMETHING, _("I notice something"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the two answers.")},
    )

    field_order = ["how", "symptoms", "fever", "severity", "notes", "photo"]

    def clean(self):
        data = super().clean()
        if data.get("how") == self.SOMETHING and not self.noticed(data):
            self.add_error("symptoms", _("Tick what you notice, or choose “All is well”."))
        elif data.get("how") == self.WELL and self.ticked(data):
            self.add_error("how", _("You ticked something below: choose “I notice something”."))
        return data


class EventForm(Form):
    """The staff's part of an adverse event."""

    ctcae_grade = forms.TypedChoiceField(
        label=_("CTCAE grade"),
        choices=[("", _("Not graded yet")), *CTCAE_GRADES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    actions_taken = forms.CharField(
        label=_("Actions taken"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    resolved_at = forms.DateTimeField(
        label=_("Resolved at"),
        required=False,
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M"],
    )


class GaisForm(Form):
    score = forms.TypedChoiceField(
        label=_("Compared with before the treatment, the result is:"),
        choices=GAIS_LABELS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the five answers.")},
    )
    notes = forms.CharField(label=_("Notes (optional)"), max_length=300, required=False)


class RegisterFilter(Form):
    protocol = forms.ChoiceField(label=_("Protocol"), required=False)
    product = forms.ChoiceField(label=_("Product"), required=False)
    lot = forms.ChoiceField(label=_("Lot"), required=False)
    grade = forms.ChoiceField(label=_("CTCAE grade"), required=False)
    level = forms.ChoiceField(
        label=_("Triage level"), choices=[("", _("Any")), *Level.choices], required=False
    )
    since = forms.DateField(label=_("Reported from"), required=False, widget=DateInput())
    until = forms.DateField(label=_("Reported until"), required=False, widget=DateInput())

    def __init__(self, *args, products=(), lots=(), **kwargs):
        super().__init__(*args, **kwargs)
        any_ = [("", _("Any"))]
        self.fields["protocol"].choices = any_ + protocol_choices()
        self.fields["product"].choices = any_ + [(str(p.code), p.name) for p in products]
        self.fields["lot"].choices = any_ + [
            (str(lot.code), f"{lot.product.name} · {lot.lot_number}") for lot in lots
        ]
        self.fields["grade"].choices = (
            any_ + [(str(g), str(g)) for g in range(1, 6)] + [("none", _("Not graded"))]
        )

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end of the range is before its start."))
        return data
