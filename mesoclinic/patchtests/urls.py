from django.urls import path

from . import views

app_name = "patchtests"
urlpatterns = [
    path("patients/<uuid:patient>/new", views.record, name="record"),
    path("<uuid:code>/read", views.read, name="read"),
    path("<uuid:code>/void", views.void, name="void"),
]
