from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language

from mesoclinic.engine.knowledge import load, text


def home(request: HttpRequest) -> HttpResponse:
    k = load()
    lang = (get_language() or "en")[:2]
    protocols = [
        {"id": p.id, "title": text(p.title, lang), "series": p.series, "maintenance": p.maintenance}
        for p in k.protocols.values()
    ]
    return render(request, "core/home.html", {"protocols": protocols, "version": k.version})


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok", "knowledge_version": load().version})
