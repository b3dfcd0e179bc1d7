"""Every read of photos: physicians and nurses of the patient's own clinic only (never the
front desk), each read of a photo file audited."""

from collections import OrderedDict

from django.db.models import QuerySet
from django.http import Http404

from mesoclinic.accounts.actor import Actor
from mesoclinic.audit.actions import record

from . import compare, outcomes, storage
from .models import Photo, PhotoConsent
from .trends import patient_trends

OUTCOME_MEASURES = outcomes.MEASURES


def _photos(actor: Actor) -> QuerySet[Photo]:
    """Photos in use: a withdrawn photo-use consent takes its photos out of every page,
    comparison, file read and export at once (issue 16); erasure then removes them."""
    actor.require("view_clinical")
    return Photo.objects.filter(patient__clinic=actor.clinic, consent__withdrawn_at__isnull=True)


def consents_for(actor: Actor, patient) -> list[PhotoConsent]:
    actor.require("view_clinical")
    return list(PhotoConsent.objects.filter(patient=patient, patient__clinic=actor.clinic))


def get_consent(actor: Actor, code) -> PhotoConsent:
    actor.require("view_clinical")
    try:
        return PhotoConsent.objects.select_related("patient").get(
            code=code, patient__clinic=actor.clinic
        )
    except (PhotoConsent.DoesNotExist, ValueError, TypeError):
        raise Http404("no such consent") from None


def photos_for(actor: Actor, patient, *, audit: bool = True) -> list[Photo]:
    photos = list(_photos(actor).filter(patient=patient).select_related("session"))
    if audit:
        record(actor, "view", patient, patient=patient, summary=f"photos: {len(photos)}")
    return photos


def get_photo(actor: Actor, code, *, audit: bool = True) -> Photo:
    try:
        photo = (
            _photos(actor).select_related("patient__clinic", "session", "consent").get(code=code)
        )
    except (Photo.DoesNotExist, ValueError, TypeError):
        raise Http404("no such photo") from None
    if audit:
        record(actor, "view", photo, patient=photo.patient)
    return photo


def read_file(actor: Actor, photo: Photo, kind: str = "full") -> bytes:
    """The bytes of the photo ("full") or its thumbnail ("thumb"); every read is audited.
    Without a thumbnail yet, the full photo is returned."""
    actor.require("view_clinical")
    if photo.patient.clinic_id != actor.clinic.pk:
        raise Http404("no such photo")
    relative = photo.thumbnail if kind == "thumb" and photo.thumbnail else photo.file
    try:
        data = storage.read(relative)
    except OSError:
        raise Http404("the photo file is missing") from None
    record(actor, "view", photo, patient=photo.patient, summary=f"photo file ({kind})")
    return data


def visits(photos: list[Photo]) -> "OrderedDict":
    """Photos grouped by visit date, newest first."""
    out: OrderedDict = OrderedDict()
    for photo in sorted(photos, key=lambda p: (p.taken_on, p.pk), reverse=True):
        out.setdefault(photo.taken_on, []).append(photo)
    return out


def record_compare(actor: Actor, before: Photo, after: Photo) -> None:
    record(
        actor, "view", before, patient=before.patient,
        summary=f"compare with {after.taken_on.isoformat()}", detail={"with": str(after.code)},
    )  # fmt: skip


def read_aligned(actor: Actor, before: Photo, after: Photo, which: str) -> bytes:
    """The aligned derivative of a pair (made on first use); the read is audited."""
    actor.require("view_clinical")
    if before.patient.clinic_id != actor.clinic.pk or after.patient_id != before.patient_id:
        raise Http404("no such photo")
    paths = compare.aligned_pair(before, after)["paths"]
    record(actor, "view", before if which == "before" else after, patient=before.patient,
           summary=f"aligned photo ({which})")  # fmt: skip
    return storage.read(paths[which])


def own_trends(actor: Actor, patient) -> list[dict]:
    """A patient's own measure trends (numbers only, no photo) for the portal; the caller
    has checked that `patient` is the signed-in patient. The read is audited."""
    charts = patient_trends(patient)
    record(actor, "view", patient, patient=patient, summary=f"photo measure trends: {len(charts)}")
    return charts


def outcome_summary(actor: Actor, start, end, *, practitioner=None) -> list[dict]:
    """Photo measures over the series of the range, per protocol and measure, for the
    dashboard: numbers only, no patient named (the owner sees them)."""
    actor.require("view_dashboard")
    return outcomes.summary(outcomes.series(actor.clinic, start, end, practitioner=practitioner))


def outcome_series(actor: Actor, start, end, *, practitioner=None, protocol=None) -> list:
    """The series behind the outcome figures, each naming its patient: clinicians only;
    the read is audited."""
    actor.require("view_clinical")
    rows = outcomes.series(
        actor.clinic, start, end, practitioner=practitioner, protocol=protocol, names=True
    )
    record(
        actor, "view", None,
        summary=f"photo measures of {len(rows)} series, {start}..{end} {protocol or ''}".strip(),
    )  # fmt: skip
    return rows
