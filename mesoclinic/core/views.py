from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from mesoclinic.engine.knowledge import load, text
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
    return JsonResponse({"status": "ok", "knowledge_version": load().version})
