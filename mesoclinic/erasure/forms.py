from django import forms
from django.utils.translation import gettext_lazy as _


class EraseForm(forms.Form):
    note = forms.CharField(
        label=_("How the patient asked"),
        max_length=300,
        help_text=_("For example: “letter of 2 December 2026, handed in at the desk”."),
    )
    confirm = forms.CharField(
        label=_("Type the patient's family name to confirm"),
        max_length=100,
    )

    def __init__(self, *args, family_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.family_name = family_name

    def clean_confirm(self):
        value = self.cleaned_data["confirm"].strip()
        if value.casefold() != self.family_name.strip().casefold():
            raise forms.ValidationError(_("This is not the patient's family name."))
        return value


class RetentionForm(forms.Form):
    years = forms.IntegerField(
        label=_("Years the record is kept after the last care"), min_value=0, max_value=100
    )
    reason = forms.CharField(
        label=_("Why (the law you follow)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on every erasure page. Empty: the default text."),
    )
