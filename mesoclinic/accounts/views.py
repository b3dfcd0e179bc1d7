from django import forms
from django.contrib.auth import views as auth_views
from django.shortcuts import resolve_url
from django.utils.translation import gettext_lazy as _


class LoginForm(auth_views.AuthenticationForm):
    username = forms.CharField(
        label=_("Username"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        from .roles import Role

        membership = getattr(self.request.user, "membership", None)
        if membership is not None and membership.role == Role.PATIENT:
            return resolve_url("portal:home")
        return super().get_default_redirect_url()


class LogoutView(auth_views.LogoutView):
    pass
