from django.urls import path

from . import views

app_name = "erasure"
urlpatterns = [
    path("patients/<uuid:code>/", views.confirm, name="confirm"),
    path("retention", views.retention, name="retention"),
]
