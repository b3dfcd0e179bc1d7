from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mesoclinic.accounts.decorators import staff_view
from mesoclinic.engine.knowledge import load
from mesoclinic.engine.photo import align
from mesoclinic.lib import clinicday, uploads
from mesoclinic.lib.csvfile import download_name
from mesoclinic.lib.refusals import flash, show_on_form
from mesoclinic.patients import access as patients_access
from mesoclinic.treatments import access as treatments_access

from . import access, actions, compare, trends
from .forms import CompareForm, ConsentForm, UploadForm
from .messages import comparability_text
from .models import View


def _image_response(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = content_disposition_header(
        False, download_name(name, ext="jpg")
    )
    return response


def _patient(request, code):
    return patients_access.get_patient(request.actor, code, audit=None)


@staff_view("view_clinical")
def gallery(request, code):
    patient = _patient(request, code)
    photos = access.photos_for(request.actor, patient)
    consents = access.consents_for(request.actor, patient)
    return render(
        request,
        "photos/gallery.html",
        {
            "patient": patient,
            "visits": access.visits(photos),
            "consents": consents,
            "consent": actions.current_consent(patient),
            "charts": trends.charts(photos),
            "compare_form": CompareForm(photos=photos) if len(photos) > 1 else None,
        },
    )


@staff_view("record_clinical")
@require_http_methods(["GET", "POST"])
def consent(request, code):
    patient = _patient(request, code)
    form = ConsentForm(
        request.POST or None,
        clinic=request.actor.clinic,
        initial={
            "signer_name": patient.full_name,
            "signed_on": clinicday.today(request.actor.clinic),
        },
    )
    if request.method == "POST" and form.is_valid():
        actions.record_consent(request.actor, patient, **form.cleaned_data)
        messages.success(request, _("Photo-use consent recorded."))
        return redirect("photos:gallery", code=patient.code)
    return render(
        request, "photos/consent.html", {"form": form, "patient": patient},
        status=400 if form.errors else 200,
    )  # fmt: skip


@staff_view("record_clinical")
@require_POST
def withdraw(request, code):
    item = access.get_consent(request.actor, code)
    try:
        actions.withdraw_consent(request.actor, item)
        messages.success(request, _("The photo-use consent is withdrawn: no new photos."))
    except actions.Refused as exc:
        flash(request, exc)
    return redirect("photos:gallery", code=item.patient.code)


def _upload_choices(actor, patient):
    """The protocol's standard views (all views when the patient has no plan yet) and the
    patient's sessions."""
    plans = treatments_access.plans_for(actor, patient, audit=False)
    k = load()
    views = [v for plan in plans for v in k.protocols[plan.protocol].photo_views]
    sessions = [s for plan in plans for s in plan.sessions.all()]
    return list(dict.fromkeys(views)) or list(View.values), sessions


@staff_view("record_clinical")
@require_http_methods(["GET", "POST"])
def upload(request, code):
    actor = request.actor
    patient = _patient(request, code)
    views, sessions = _upload_choices(actor, patient)
    form = UploadForm(
        request.POST or None, request.FILES or None, views=views, sessions=sessions,
        clinic=actor.clinic,
        initial={"taken_on": clinicday.today(actor.clinic), "view": request.GET.get("view") or views[0]},
    )  # fmt: skip
    problems = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            photo = actions.upload_photo(
                actor, patient, data=uploads.read_upload(d["image"]), view=d["view"],
                taken_on=d["taken_on"], session=d["session"], area=d["area"],
                accept_issues=d["accept_issues"],
            )  # fmt: skip
        except actions.CaptureProblems as exc:
            problems = exc.messages
        except actions.Refused as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("Photo saved."))
            return redirect("photos:detail", code=photo.code)
    return render(
        request,
        "photos/upload.html",
        {"form": form, "patient": patient, "problems": problems,
         "consent": actions.current_consent(patient)},
        status=400 if (form.errors or problems) else 200,
    )  # fmt: skip


@staff_view("view_clinical")
def detail(request, code):
    photo = access.get_photo(request.actor, code)
    doc = photo.analysis or {}
    return render(
        request,
        "photos/detail.html",
        {"photo": photo, "patient": photo.patient, "doc": doc,
         "regions": [(trends.REGION_LABELS.get(k, k), v) for k, v in doc.get("regions", {}).items()],
         "issues": [i["code"] for i in doc.get("issues", [])]},
    )  # fmt: skip


@staff_view("view_clinical")
def image(request, code, kind):
    if kind not in ("full", "thumb"):
        raise Http404("no such image")
    photo = access.get_photo(request.actor, code, audit=False)
    return _image_response(access.read_file(request.actor, photo, kind), f"{photo.code}-{kind}")


def _pair(request, a, b):
    before = access.get_photo(request.actor, a, audit=False)
    after = access.get_photo(request.actor, b, audit=False)
    if before.patient_id != after.patient_id or before.pk == after.pk:
        raise Http404("not a pair")
    if after.taken_on < before.taken_on:
        before, after = after, before
    return before, after


@staff_view("view_clinical")
def compare_page(request, code):
    patient = _patient(request, code)
    photos = access.photos_for(request.actor, patient)
    form = CompareForm(request.GET or None, photos=photos)
    if not form.is_valid():
        return redirect("photos:gallery", code=patient.code)
    before, after = _pair(request, form.cleaned_data["a"], form.cleaned_data["b"])
    result = compare.aligned_pair(before, after)
    access.record_compare(request.actor, before, after)
    diffs = result.get("differences", {})
    return render(
        request,
        "photos/compare.html",
        {"patient": patient, "before": before, "after": after, "result": result, "form": form,
         "differences": [(trends.REGION_LABELS.get(k, k), v) for k, v in diffs.items()],
         "overlay": compare.overlay_svg(result.get("overlay"), trends.REGION_LABELS, diffs),
         "not_comparable": [comparability_text(code) for code in
                            align.comparability(before.analysis or {}, after.analysis or {})]},
    )  # fmt: skip


@staff_view("view_clinical")
def aligned(request, a, b, which):
    if which not in ("before", "after"):
        raise Http404("no such image")
    before, after = _pair(request, a, b)
    data = access.read_aligned(request.actor, before, after, which)
    return _image_response(data, f"{before.code}-{after.code}-{which}")
