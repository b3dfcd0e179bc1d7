from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from mesoclinic.engine.knowledge import load, text
from mesoclinic.lib import health
from mesoclinic.lib.language import language


def home(request: HttpRequest) -> HttpResponse:
    k = load()
    lang = language()
    protocols = [
        {"id": p.id, "title": text(p.title, lang), "series": p.series, "maintenance": p.maintenance}
        for p in k.protocols.values()
    ]
    return render(request, "core/home.html", {"protocols": protocols, "version": k.version})


def healthz(request: HttpRequest) -> JsonResponse:
    """For a load balancer and a monitor: 503 when the database cannot be read; otherwise
    200 with `status` "ok", or "degraded" when no worker is sending messages or messages
    could not be sent (the details say which). Counts only, never patient data."""
    version = load().version
    try:
        status, checks = health.report()
    except DatabaseError:
        body = {"status": "error", "database": "unavailable", "knowledge_version": version}
        return JsonResponse(body, status=503)
    return JsonResponse(
        {"status": status, "database": "ok", "knowledge_version": version, **checks}
    )
