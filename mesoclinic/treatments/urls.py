from django.urls import path

from . import charting_views, views

app_name = "treatments"
urlpatterns = [
    path("patients/<uuid:code>/plan/new", views.plan_new, name="plan_new"),
    path("plans/<uuid:code>/", views.plan_detail, name="plan"),
    path("plans/<uuid:code>/start", views.session_start, name="start"),
    path("sessions/<uuid:code>/", views.session_detail, name="session"),
    path("sessions/<uuid:code>/points", charting_views.point_add, name="point_add"),
    path("sessions/<uuid:code>/details", views.details, name="details"),
    path("sessions/<uuid:code>/copy-forward", views.copy_forward, name="copy_forward"),
    path("sessions/<uuid:code>/sign", views.sign, name="sign"),
    path("sessions/<uuid:code>/amend", views.amend, name="amend"),
    path("points/<uuid:code>/move", charting_views.point_move, name="point_move"),
    path("points/<uuid:code>/remove", charting_views.point_remove, name="point_remove"),
    path("sessions/<uuid:code>/template", charting_views.template_save, name="template_save"),
    path(
        "sessions/<uuid:code>/templates/<uuid:template>",
        charting_views.template_apply,
        name="template_apply",
    ),
    path("templates/", charting_views.templates, name="templates"),
    path("lots/<uuid:code>/exposure", views.lot_exposure, name="exposure"),
]
