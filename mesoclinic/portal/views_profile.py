"""The patient's profile in the portal: the language every message, the portal and the
aftercare sheet use. The portal's language switch saves it too, so the next e-mail or SMS
follows the patient's choice."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from mesoclinic.lib.forms import Form
from mesoclinic.patients.actions import set_language

from .decorators import patient_view


def _choices():
    return [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


class LanguageForm(Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Your language"),
        choices=_choices,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Your portal, your e-mails and text messages, and your aftercare are in this language."
        ),
    )


@never_cache
@patient_view
@require_http_methods(["GET", "POST"])
def profile(request):
    patient = request.patient
    form = LanguageForm(
        request.POST or None, initial={"language": patient.language or request.LANGUAGE_CODE}
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
