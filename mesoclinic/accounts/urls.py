from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "accounts"
urlpatterns = [
    path("login", views.LoginView.as_view(), name="login"),
    path("logout", views.LogoutView.as_view(), name="logout"),
    path("clinic", views.clinic_settings, name="clinic"),
    path("clinic/<uuid:code>/logo", views.clinic_logo, name="logo"),
    # issue 14: password change and reset by e-mail, Django's own views
    path(
        "password",
        views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/changed",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_note.html",
            extra_context={
                "title": _("Password changed"),
                "note": _("Your password is changed. Use it from your next sign-in."),
            },
        ),
        name="password_change_done",
    ),
    path(
        "password/reset",
        views.PasswordResetView.as_view(
            template_name="accounts/password_form.html",
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
            extra_context={
                "title": _("Forgot your password?"),
                "intro": _(
                    "Give the e-mail address of your account: we send a link to choose a new password."
                ),
                "submit": _("Send the link"),
            },
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/password_note.html",
            extra_context={
                "title": _("Check your e-mail"),
                "note": _(
                    "If an account has this address, a link to choose a new password is on "
                    "its way. It works once, for a limited time."
                ),
            },
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_form.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
            extra_context={"title": _("Choose a new password"), "submit": _("Save")},
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_note.html",
            extra_context={
                "title": _("Password saved"),
                "note": _("Your new password is saved. Sign in with it."),
                "sign_in": True,
            },
        ),
        name="password_reset_complete",
    ),
]
