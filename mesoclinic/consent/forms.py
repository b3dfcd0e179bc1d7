from django import forms
from django.utils.translation import gettext_lazy as _

from mesoclinic.lib.forms import Form
from mesoclinic.lib.titles import class_choices, protocol_choices

from .signature import check_signature


class ProtocolForm(Form):
    """Which treatment: chosen before the consent text is shown."""

    protocol = forms.ChoiceField(label=_("Protocol"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["protocol"].choices = [("", _("Choose a protocol"))] + protocol_choices()


class CheckForm(ProtocolForm):
    """Does a consent on file cover this treatment?"""

    product_classes = forms.MultipleChoiceField(
        label=_("Product classes to be used"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product_classes"].choices = class_choices()


class SignForm(Form):
    product_classes = forms.MultipleChoiceField(
        label=_("Product classes this consent covers"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one product class the consent covers.")},
    )
    signer_name = forms.CharField(
        label=_("Name of the person signing"),
        max_length=200,
        help_text=_("The patient, or their legal representative."),
    )
    understood = forms.BooleanField(
        label=_(
            "The patient has read the text above, or had it read to them, and their questions were answered."
        ),
        error_messages={"required": _("Confirm that the patient has read the text.")},
    )
    signature = forms.CharField(required=False, widget=forms.HiddenInput)
    typed_signature = forms.BooleanField(
        label=_(
            "The patient cannot sign by hand; the name typed above is the signature, witnessed by me."
        ),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product_classes"].choices = class_choices()

    def clean_signature(self):
        value = self.cleaned_data["signature"].strip()
        if value:
            check_signature(value)
        return value

    def clean(self):
        data = super().clean()
        drawn = data.get("signature")
        if "signature" in self.errors:
            return data
        if data.get("typed_signature") and drawn:
            self.add_error(
                "typed_signature",
                _("Clear the drawn signature, or untick this box: a consent has one signature."),
            )
        elif not data.get("typed_signature") and not drawn:
            self.add_error(
                "signature",
                _(
                    "The patient has not signed. Ask them to sign in the box, or tick the box "
                    "below if they cannot sign by hand."
                ),
            )
        return data


class WithdrawForm(Form):
    reason = forms.CharField(
        label=_("Reason for the withdrawal"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for the withdrawal.")},
    )
