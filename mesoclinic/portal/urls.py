from django.urls import path

from . import views, views_care, views_profile, views_reads, views_staff

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("invitation/<str:token>", views.accept, name="accept"),
    path("medical-history", views.intake, name="intake"),
    path("consent/", views.consents, name="consents"),
    path("consent/<uuid:code>/sign", views.consent_sign, name="consent_sign"),
    path("appointments/", views.appointments, name="appointments"),
    path("appointments/<uuid:code>/change", views.appointment_change, name="appointment_change"),
    path("aftercare/", views_care.aftercare_list, name="aftercare_list"),
    path("aftercare/<uuid:code>", views_care.aftercare, name="aftercare"),
    path("check-ins/", views_care.checkins, name="checkins"),
    path("check-ins/<uuid:code>", views_care.checkin, name="checkin"),
    path("side-effect", views_care.report, name="report"),
    path("side-effect/<uuid:code>", views_care.report_result, name="report_result"),
    path("sessions/<uuid:code>/rate", views_care.rate, name="rate"),
    path("ask", views_care.ask, name="ask"),
    path("profile", views_profile.profile, name="profile"),
    path("progress", views.progress, name="progress"),
    path("record-reads", views_reads.record_reads, name="record_reads"),  # issue 15
    # staff
    path("staff/patients/<uuid:code>/invite", views_staff.invite, name="invite"),
    path("staff/requests/", views_staff.requests, name="staff_requests"),
    path("staff/requests/<uuid:code>", views_staff.handle_request, name="handle_request"),
]
