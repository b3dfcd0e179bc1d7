from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from mesoclinic.lib import clinicday, uploads
from mesoclinic.lib.forms import TextGuard
from mesoclinic.lib.refusals import show_on_form

from .actions import CLINIC_FIELDS, update_clinic
from .decorators import staff_view
from .forms import ClinicForm
from .models import Clinic
from .roles import Role
from .security import reset_refusal, sign_in_refusal


class LoginForm(TextGuard, auth_views.AuthenticationForm):
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


class PasswordResetView(auth_views.PasswordResetView):
    """The link in the e-mail starts with SITE_URL, never with the request's Host header.
    The same answer whether or not an account has the address (no user enumeration), and
    a limit on links per e-mail address and per client address (security.reset_refusal)
    that is counted the same way for any address, known or not."""

    def form_valid(self, form):
        refusal = reset_refusal(self.request, form.cleaned_data["email"])
        if refusal:
            form.add_error(None, ValidationError(refusal, code="too_many"))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        site = urlsplit(settings.SITE_URL)
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            token_generator=self.token_generator,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
        )
        return HttpResponseRedirect(self.get_success_url())


class PasswordChangeView(auth_views.PasswordChangeView):
    """Any signed-in person changes their own password (the old one first)."""

    template_name = "accounts/password_form.html"
    success_url = reverse_lazy("accounts:password_change_done")
    extra_context = {"title": _("Change your password"), "submit": _("Change the password")}


def store_logo(clinic: Clinic, upload) -> str:
    """The logo, checked and re-encoded like every uploaded picture, in the "photos"
    storage (so it is backed up with them); the stored name."""
    try:
        picture = uploads.clean_upload(upload, max_side=600)
    except ValidationError as exc:
        raise ValidationError({"logo_file": exc.messages}) from None
    return uploads.write("photos", f"clinic/{clinic.code}/logo-{picture.name}", picture.read())


def clinic_logo(request, code):
    """The clinic's logo (not patient data: shown on the sign-in page too)."""
    clinic = Clinic.objects.filter(code=code).exclude(logo="").first()
    if clinic is None:
        raise Http404
    data = uploads.read("photos", clinic.logo)
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@staff_view("manage_clinic")
@require_http_methods(["GET", "POST"])
def clinic_settings(request):
    """The clinic's name, time zone and on-call address (clinic admins)."""
    actor = request.actor
    clinic = Clinic.objects.get(pk=actor.clinic.pk)
    form = ClinicForm(request.POST or None, request.FILES or None, instance=clinic)
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in CLINIC_FIELDS if f in form.cleaned_data}
        try:
            if form.cleaned_data.get("logo_file"):
                values["logo"] = store_logo(clinic, form.cleaned_data["logo_file"])
            update_clinic(actor, **values)
        except ValidationError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, gettext("Clinic settings saved."))
            return redirect("accounts:clinic")
    status = 400 if form.errors else 200
    context = {"form": form, "now": clinicday.now()}
    return render(request, "accounts/clinic.html", context, status=status)
