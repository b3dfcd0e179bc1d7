"""The patient's own copy: a page and a download, in the portal and for staff."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from mesoclinic.accounts.decorators import staff_view
from mesoclinic.patients import access as patient_access
from mesoclinic.portal.decorators import patient_view

from . import archive


def _download(data: bytes, patient) -> HttpResponse:
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{archive.filename(patient)}"'
    return response


@require_http_methods(["GET", "POST"])
@patient_view
def mine(request):
    """The signed-in patient's own copy: GET explains, POST downloads."""
    patient = request.patient
    if request.method == "POST":
        reader = archive.reader_for_patient(patient, request.META.get("REMOTE_ADDR"))
        data, _counts = archive.build(
            reader, patient, made_by=request.actor, absolute=request.build_absolute_uri
        )
        return _download(data, patient)
    return render(request, "fhir/copy_mine.html", {"patient": patient})


@require_http_methods(["GET", "POST"])
@staff_view("view_clinical")
def for_patient(request, code):
    """Staff make the copy for a patient who asked for it (at the desk, by letter)."""
    actor = request.actor
    patient = patient_access.get_patient(actor, code)
    if request.method == "POST":
        data, _counts = archive.build(
            actor, patient, made_by=actor, absolute=request.build_absolute_uri
        )
        return _download(data, patient)
    return render(request, "fhir/copy_staff.html", {"patient": patient})
