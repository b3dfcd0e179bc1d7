from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard", views.dashboard, name="dashboard"),
    path("dashboard/sessions", views.sessions, name="sessions"),
    path("dashboard/payments", views.payments, name="payments"),
    path("dashboard/no-shows", views.no_shows, name="no_shows"),
    path("dashboard/outcomes", views.outcomes, name="outcomes"),
]
