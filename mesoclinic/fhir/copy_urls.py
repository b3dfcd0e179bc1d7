from django.urls import path

from . import views_copy

app_name = "records"

urlpatterns = [
    path("mine", views_copy.mine, name="mine"),
    path("patients/<uuid:code>/copy", views_copy.for_patient, name="patient_copy"),
]
