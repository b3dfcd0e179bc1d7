from django.urls import path

from . import views

app_name = "outbox"
urlpatterns = [
    path("failed/", views.failed, name="failed"),
    path("<uuid:code>/try-again", views.try_again, name="try_again"),
    path("<uuid:code>/handled", views.handled, name="handled"),
]
