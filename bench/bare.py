"""The baseline of `python -m bench load`: bare Django views on the same data as the pages
they stand for, with no sign-in, no capability checks, no audit and no templates: each is
one plain ORM read (values()) serialised as JSON. They run in the same gunicorn workers,
through the same middleware, so the ratio measures what Mesoclinic adds on top of Django.
Only mounted by bench/load_settings.py (never in the application's own URLs)."""

import datetime as dt

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from mesoclinic.audit.models import AuditEvent
from mesoclinic.engine.knowledge import normalize
from mesoclinic.patients.models import Patient
from mesoclinic.scheduling.models import Appointment
from mesoclinic.screening.models import ScreeningRecord
from mesoclinic.treatments.models import TreatmentSession

PATIENT = ("code", "given_name", "family_name", "birth_date", "phone")


def chart(request, code):
    p = Patient.objects.values("id", *PATIENT).get(code=code)
    pid = p.pop("id")
    p["screenings"] = list(
        ScreeningRecord.objects.filter(patient_id=pid).values("protocol", "decision", "created_at")
    )
    p["sessions"] = list(
        TreatmentSession.objects.filter(patient_id=pid).values("number", "protocol", "started_at")
    )
    return JsonResponse(p)


def search(request):
    qs = Patient.objects.filter(clinic_id=request.GET["clinic"])
    for token in request.GET.get("q", "").split():
        qs = qs.filter(search_name__contains=normalize(token))
    return JsonResponse({"patients": list(qs.values(*PATIENT)[:50])})


@csrf_exempt
def create(request):
    p = Patient(
        clinic_id=request.POST["clinic"],
        given_name=request.POST["given_name"],
        family_name=request.POST["family_name"],
        birth_date=request.POST["birth_date"],
    )
    p.save()
    return JsonResponse({"code": str(p.code)}, status=201)


def day(request):
    on = dt.date.fromisoformat(request.GET["date"])
    rows = (
        Appointment.objects.filter(clinic_id=request.GET["clinic"], start__date=on)
        .exclude(status="cancelled")
        .values("code", "start", "end", "status", "patient__given_name", "patient__family_name")
        .order_by("start")
    )
    return JsonResponse({"appointments": list(rows)})


def audit(request):
    rows = AuditEvent.objects.filter(clinic_id=request.GET["clinic"]).order_by("-at", "-id")
    if "patient" in request.GET:
        rows = rows.filter(patient_code=request.GET["patient"])
    return JsonResponse({"events": list(rows.values("at", "username", "action", "summary")[:50])})
