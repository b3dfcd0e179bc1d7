from django.urls import path

from . import views

app_name = "screening"
urlpatterns = [
    path("patient/<uuid:code>/new", views.new, name="new"),
    path("<uuid:code>/", views.detail, name="detail"),
    path("<uuid:code>/override", views.override, name="override"),
]
