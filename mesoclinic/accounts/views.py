from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from mesoclinic.lib import clinicday
from mesoclinic.lib.refusals import show_on_form

from .actions import CLINIC_FIELDS, update_clinic
from .decorators import staff_view
from .forms import ClinicForm
from .models import Clinic
from .roles import Role
from .security import sign_in_refusal


class LoginForm(auth_views.AuthenticationForm):
    username = forms.CharField(
        label=_("Username"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    def clean(self):
        refusal = sign_in_refusal(self.request, self.cleaned_data.get("username", ""))
        if refusal:
            raise ValidationError(refusal, code="locked")
        return super().clean()


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        membership = getattr(self.request.user, "membership", None)
        if membership is not None and membership.role == Role.PATIENT:
            return resolve_url("portal:home")
        if membership is not None and membership.role == Role.FRONT_DESK:
            return resolve_url("scheduling:desk")  # today's arrivals and tasks
        return super().get_default_redirect_url()


class LogoutView(auth_views.LogoutView):
    pass


@staff_view("manage_clinic")
@require_http_methods(["GET", "POST"])
def clinic_settings(request):
    """The clinic's name, time zone and on-call address (clinic admins)."""
    actor = request.actor
    form = ClinicForm(request.POST or None, instance=Clinic.objects.get(pk=actor.clinic.pk))
    if request.method == "POST" and form.is_valid():
        try:
            update_clinic(actor, **{f: form.cleaned_data[f] for f in CLINIC_FIELDS})
        except ValidationError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, gettext("Clinic settings saved."))
            return redirect("accounts:clinic")
    status = 400 if form.errors else 200
    context = {"form": form, "now": clinicday.now()}
    return render(request, "accounts/clinic.html", context, status=status)
