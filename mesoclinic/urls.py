from django.urls import include, path

urlpatterns = [
    path("", include("mesoclinic.core.urls")),
]
