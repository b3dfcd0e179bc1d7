from django.urls import path

from . import views

app_name = "consent"
urlpatterns = [
    path("patients/<uuid:patient>/sign", views.sign, name="sign"),
    path("patients/<uuid:patient>/check", views.check, name="check"),
    path("<uuid:code>/", views.detail, name="detail"),
    path("<uuid:code>/withdraw", views.withdraw, name="withdraw"),
]
