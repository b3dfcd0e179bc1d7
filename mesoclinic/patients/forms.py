import datetime as dt

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mesoclinic.engine.knowledge import load, text
from mesoclinic.lib import clinicday, dates
from mesoclinic.lib.forms import DateInput, Form, ModelForm
from mesoclinic.lib.language import language
from mesoclinic.lib.language import offered as offered_to

from .models import Fitzpatrick, Patient

UNANSWERED = ""
YES_NO = [(UNANSWERED, _("Not answered")), ("yes", _("Yes")), ("no", _("No"))]
WHEN = [(UNANSWERED, _("Not answered")), ("never", _("Never")), ("date", _("On this date:"))]
# a planned date (fact.ahead): the sun holiday ahead
PLAN = [(UNANSWERED, _("Not answered")), ("never", _("No plans")), ("date", _("From this date:"))]


class PatientForm(ModelForm):
    class Meta:
        model = Patient
        fields = ["given_name", "family_name", "birth_date", "sex", "phone", "email", "language"]
        widgets = {"birth_date": DateInput()}
        help_texts = {
            "language": _("Every message, the portal and the aftercare sheet are in this language.")
        }

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinic = clinic  # whose calendar says what "today" is
        field = self.fields["language"]
        offered = [(code, name) for code, name in settings.LANGUAGES if code in offered_to(clinic)]
        field.choices = [("", _("The clinic's language")), *offered]
        if self.instance.pk is None:
            self.initial.setdefault("language", language())  # the page's, to start with

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        clinicday.not_future(born, self.clinic, _("The date of birth is in the future."))
        today = clinicday.today(self.clinic)
        # 29 February has no twin 120 years earlier in most years: take the 28th then
        oldest = today.replace(
            year=today.year - 120, day=min(today.day, 28 if today.month == 2 else 31)
        )
        if born < oldest:
            raise forms.ValidationError(_("The date of birth is more than 120 years ago."))
        return born

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not all(ch.isdigit() or ch in "+ ()-./" for ch in phone):
            raise forms.ValidationError(
                _("A phone number may hold digits, spaces and + ( ) - . / only.")
            )
        if phone and sum(ch.isdigit() for ch in phone) < 6:
            raise forms.ValidationError(_("The phone number is too short."))
        return phone


class RegisterForm(PatientForm):
    """Registering: a possible duplicate (same name and date of birth, or same phone) is
    shown, and saving then needs an explicit "this is a different person"."""

    different_person = forms.BooleanField(
        label=_("This is a different person: register them anyway"), required=False
    )


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


class IntakeForm(Form):
    """The medical history questionnaire: every fact of the screening contract, plus the
    skin type, medicines, conditions and free text. A blank answer stays "not answered"."""

    fitzpatrick = forms.ChoiceField(
        label=_("Fitzpatrick skin type"),
        choices=[("", _("Not assessed")), *Fitzpatrick.choices],
        required=False,
    )
    prescribed_medicines = forms.CharField(
        label=_("Prescribed medicines (one per line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    other_medicines = forms.CharField(
        label=_("Other medicines and supplements taken without a prescription (one per line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    conditions = forms.CharField(
        label=_("Other conditions (one per line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    notes = forms.CharField(
        label=_("Other notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, patient: Patient, **kwargs):
        super().__init__(*args, **kwargs)
        self.patient = patient
        self.knowledge = load()
        lang = language()
        self.questions = []
        for fact in self.knowledge.facts.values():
            if fact.id == "birth_date":
                continue  # taken from the patient's demographics
            label = text(fact.question, lang)
            name = f"fact_{fact.id}"
            if fact.type == "bool":
                field = forms.ChoiceField(
                    label=label, choices=YES_NO, required=False, widget=forms.RadioSelect
                )
            elif fact.type == "enum":
                labels = {
                    "none": _("No"),
                    "diet_controlled": _("Yes, controlled by diet"),
                    "on_treatment": _("Yes, treated with tablets or insulin"),
                }
                choices = [(UNANSWERED, _("Not answered"))] + [
                    (v, labels.get(v, v)) for v in fact.values
                ]
                field = forms.ChoiceField(label=label, choices=choices, required=False)
            elif fact.type == "date_or_null":
                field = forms.ChoiceField(
                    label=label,
                    choices=PLAN if fact.ahead else WHEN,
                    required=False,
                    widget=forms.RadioSelect,
                )
                self.fields[f"{name}_date"] = forms.DateField(
                    label=_("Date"), required=False, widget=DateInput()
                )
            elif fact.type == "devices":
                field = forms.CharField(
                    label=label,
                    help_text=_("One device per line. Leave empty if there is none."),
                    widget=forms.Textarea(attrs={"rows": 2}),
                    required=False,
                )
            else:  # substances
                field = forms.CharField(
                    label=label,
                    help_text=_(
                        "One substance per line. Leave empty and tick the box below if there are none."
                    ),
                    widget=forms.Textarea(attrs={"rows": 3}),
                    required=False,
                )
                self.fields[f"{name}_none"] = forms.BooleanField(
                    label=_("No known allergies"), required=False
                )
            self.fields[name] = field
            self.questions.append((fact, name))
        order = [n for _, n in self.questions]
        for fact, name in self.questions:
            if fact.type in ("date_or_null", "substances"):
                extra = f"{name}_date" if fact.type == "date_or_null" else f"{name}_none"
                order.insert(order.index(name) + 1, extra)
        self.order_fields(
            order
            + ["fitzpatrick", "prescribed_medicines", "other_medicines", "conditions", "notes"]
        )

    @classmethod
    def initial_from(cls, intake) -> dict:
        if intake is None:
            return {}
        facts = load().facts
        initial = {
            "fitzpatrick": intake.fitzpatrick,
            "prescribed_medicines": "\n".join(
                m["name"] for m in intake.medicines if m.get("prescribed")
            ),
            "other_medicines": "\n".join(
                m["name"] for m in intake.medicines if not m.get("prescribed")
            ),
            "conditions": "\n".join(intake.conditions),
            "notes": intake.notes,
        }
        for fid, value in intake.answers.items():
            name = f"fact_{fid}"
            fact = facts.get(fid)
            if isinstance(value, bool):
                initial[name] = "yes" if value else "no"
            elif fact is not None and fact.type == "date_or_null":
                initial[name] = "never" if value is None else "date"
                initial[f"{name}_date"] = value
            elif isinstance(value, list):
                initial[name] = "\n".join(value)
                if fact is None or fact.type == "substances":
                    initial[f"{name}_none"] = not value
            else:
                initial[name] = value
        return initial

    def clean(self):
        data = super().clean()
        answers: dict = {"birth_date": self.patient.birth_date.isoformat()}
        today = clinicday.today(self.patient.clinic)
        for fact, name in self.questions:
            value = data.get(name)
            if fact.type == "bool":
                if value:
                    answers[fact.id] = value == "yes"
            elif fact.type == "enum":
                if value:
                    answers[fact.id] = value
            elif fact.type == "date_or_null":
                when = data.get(f"{name}_date")
                if value == "never":
                    answers[fact.id] = None
                elif value == "date":
                    if not when:
                        self.add_error(f"{name}_date", _("Give the date, or choose Never."))
                    elif not fact.ahead and (
                        problem := dates.history_date_error(when, today, self.patient.birth_date)
                    ):
                        self.add_error(f"{name}_date", problem)
                    else:
                        answers[fact.id] = when.isoformat()
                elif when:
                    self.add_error(name, _("Choose “On this date” to give a date."))
            elif fact.type == "devices":
                items = _lines(value or "")
                if items:
                    answers[fact.id] = items
                    if data.get(f"fact_{fact.implies}") == "no":
                        self.add_error(
                            f"fact_{fact.implies}",
                            _("A device is named below: answer yes, or remove the device."),
                        )
            else:
                items = _lines(value or "")
                none = data.get(f"{name}_none")
                if items and none:
                    self.add_error(
                        f"{name}_none",
                        _("Allergies are listed above: untick “No known allergies”."),
                    )
                elif items or none:
                    answers[fact.id] = items
        data["answers"] = answers
        data["medicines"] = [
            {"name": m, "prescribed": True} for m in _lines(data.get("prescribed_medicines", ""))
        ] + [{"name": m, "prescribed": False} for m in _lines(data.get("other_medicines", ""))]
        data["conditions_list"] = _lines(data.get("conditions", ""))
        return data

    def is_blank(self) -> bool:
        """Nothing answered at all (a valid form): no question, skin type, medicine,
        condition or note; the date of birth alone comes from the demographics."""
        data = self.cleaned_data
        answered = set(data["answers"]) - {"birth_date"}
        return not (
            answered
            or data.get("fitzpatrick")
            or data["medicines"]
            or data["conditions_list"]
            or data.get("notes", "").strip()
        )

    def same_as(self, intake) -> bool:
        """The answers (a valid form) are those of `intake`, word for word."""
        if intake is None:
            return False
        data = self.cleaned_data
        return (
            data["answers"] == intake.answers
            and data.get("fitzpatrick", "") == intake.fitzpatrick
            and data["medicines"] == intake.medicines
            and data["conditions_list"] == intake.conditions
            and data.get("notes", "") == intake.notes
        )


def age(born: dt.date, on: dt.date) -> int:
    """Whole years on the day `on` (the clinic's today: clinicday.today)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
