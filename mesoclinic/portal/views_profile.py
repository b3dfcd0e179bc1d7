"""The patient's profile in the portal: the language every message, the portal and the
aftercare sheet use. The portal's language switch saves it too, so the next e-mail or SMS
follows the patient's choice."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from mesoclinic.lib.forms import Form
from mesoclinic.lib.language import choices
from mesoclinic.patients.actions import set_language

from .decorators import patient_view


class LanguageForm(Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Your language"),
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Your portal, your e-mails and text messages, and your aftercare are in this language."
        ),
    )

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = choices(clinic)  # the clinic's languages only


@never_cache
@patient_view
@require_http_methods(["GET", "POST"])
def profile(request):
    patient = request.patient
    form = LanguageForm(
        request.POST or None,
        initial={"language": patient.language or request.LANGUAGE_CODE},
        clinic=patient.clinic,
    )
    if request.method == "POST" and form.is_valid():
        set_language(request.actor, patient, form.cleaned_data["language"])
        messages.success(request, _("Saved."))
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, {request.get_host()}, require_https=request.is_secure()
        ):
            target = "portal:profile"
        response = redirect(target)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, patient.language, samesite="Lax")
        return response
    status = 400 if form.errors else 200
    return render(request, "portal/profile.html", {"form": form}, status=status)
