"""The project's URLs plus the baseline's bare views under /bench-bare/ (load bench only)."""

from django.urls import path

from bench import bare
from mesoclinic.urls import urlpatterns as project

urlpatterns = [
    path("bench-bare/chart/<uuid:code>", bare.chart),
    path("bench-bare/search", bare.search),
    path("bench-bare/create", bare.create),
    path("bench-bare/day", bare.day),
    path("bench-bare/audit", bare.audit),
    *project,
]
