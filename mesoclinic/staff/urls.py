from django.urls import path

from . import views

app_name = "staff"
urlpatterns = [
    path("setup", views.setup, name="setup"),
    path("", views.staff_list, name="list"),
    path("<uuid:code>/role", views.set_role, name="role"),
    path("<uuid:code>/deactivate", views.deactivate, name="deactivate"),
    path("<uuid:code>/reactivate", views.reactivate, name="reactivate"),
    path("<uuid:code>/unlock", views.unlock, name="unlock"),
    path("join/<str:secret>", views.accept, name="accept"),
]

from . import views_twofactor  # noqa: E402

urlpatterns += [
    path("two-factor/setup", views_twofactor.setup, name="two_factor_setup"),
    path("two-factor/verify", views_twofactor.verify, name="two_factor_verify"),
    path("<uuid:code>/two-factor/reset", views_twofactor.reset, name="two_factor_reset"),
]
