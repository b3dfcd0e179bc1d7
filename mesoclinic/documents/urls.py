from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("consent/<uuid:code>.pdf", views.consent, name="consent"),
    path("sessions/<uuid:code>.pdf", views.session, name="session"),
    path("aftercare/<uuid:code>.pdf", views.aftercare, name="aftercare"),
    path("patients/<uuid:code>/summary.pdf", views.summary, name="summary"),
]
