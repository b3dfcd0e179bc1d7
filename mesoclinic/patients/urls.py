from django.urls import path

from . import views

app_name = "patients"
urlpatterns = [
    path("", views.patient_list, name="list"),
    path("new", views.register, name="register"),
    path("<uuid:code>/", views.patient_chart, name="chart"),
    path("<uuid:code>/part/<slug:part>", views.chart_part, name="chart_part"),
    path("<uuid:code>/edit", views.edit, name="edit"),
    path("<uuid:code>/intake", views.intake, name="intake"),
]
