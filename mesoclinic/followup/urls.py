from django.urls import path

from . import views

app_name = "followup"
urlpatterns = [
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/badge", views.alerts_badge, name="alerts_badge"),
    path("alerts/<uuid:code>/acknowledge", views.acknowledge, name="acknowledge"),
    path("events/", views.register, name="register"),
    path("events/export.csv", views.register_export, name="register_csv"),
    path("events/<uuid:code>/", views.event, name="event"),
    path("events/<uuid:code>/photo", views.event_photo, name="event_photo"),
    path("check-ins/<uuid:code>/photo", views.checkin_photo, name="checkin_photo"),
    path("sessions/<uuid:code>/report", views.report, name="report"),
    path("sessions/<uuid:code>/gais", views.gais, name="gais"),
    path("sessions/<uuid:code>/aftercare", views.aftercare, name="aftercare"),
]
