from django.urls import path

from . import api, views

app_name = "fhir"

urlpatterns = [
    # the staff page where a clinic admin makes and revokes API tokens
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<uuid:code>/revoke", views.revoke, name="revoke"),
    # the API
    path("metadata", api.metadata, name="metadata"),
    path("Patient/<str:resource_id>/$everything", api.everything, name="everything"),
    path("<str:resource_type>/<str:resource_id>", api.read, name="read"),
    path("<str:resource_type>", api.search, name="search"),
]
