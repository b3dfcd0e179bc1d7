from django.urls import include, path

urlpatterns = [
    path("", include("mesoclinic.core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("mesoclinic.accounts.urls")),
    path("patients/", include("mesoclinic.patients.urls")),
    path("audit/", include("mesoclinic.audit.urls")),
    path("outbox/", include("mesoclinic.outbox.urls")),
    path("screening/", include("mesoclinic.screening.urls")),
    path("patch-tests/", include("mesoclinic.patchtests.urls")),
    path("consent/", include("mesoclinic.consent.urls")),
    path("products/", include("mesoclinic.products.urls")),
    path("treatments/", include("mesoclinic.treatments.urls")),
    path("scheduling/", include("mesoclinic.scheduling.urls")),
    path("education/", include("mesoclinic.education.urls")),
    path("photos/", include("mesoclinic.photos.urls")),
    path("followup/", include("mesoclinic.followup.urls")),
    path("portal/", include("mesoclinic.portal.urls")),
    # issue 16: documents as PDF (helper "pdf")
    path("documents/", include("mesoclinic.documents.urls")),
    path("erasure/", include("mesoclinic.erasure.urls")),
    path("staff/", include("mesoclinic.staff.urls")),  # issue 14: set-up and staff
]

handler403 = "mesoclinic.lib.refusals.permission_denied"  # the refused page, with the reason
