"""Every write of photos and photo consents: the capture check, one transaction, one audit
entry, and the thumbnail enqueued on commit."""

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.accounts.actor import Actor
from mesoclinic.audit.actions import record
from mesoclinic.engine.photo import analyze
from mesoclinic.engine.photo.imagefile import Decoded
from mesoclinic.lib import uploads
from mesoclinic.lib.refusals import Refused

from . import storage
from .messages import issue_text
from .models import ConsentScope, Photo, PhotoConsent


class CaptureProblems(Refused):
    """The capture check failed; `codes` name the problems (see messages.ISSUES)."""

    def __init__(self, codes: list[str], check: "CaptureCheck"):
        self.codes = codes
        self.check = check
        super().__init__([issue_text(c) for c in codes])


@dataclass
class CaptureCheck:
    decoded: Decoded
    analysis: dict

    @property
    def problems(self) -> list[str]:
        return [i["code"] for i in self.analysis.get("issues", [])]


def check_photo(data: bytes, view: str) -> CaptureCheck:
    """Decode safely (lib.uploads) and run the analysis; an unsafe file is refused with
    the reason."""
    try:
        decoded = uploads.decode_image(data, max_side=settings.PHOTO_MAX_SIDE)
    except Refused as exc:
        raise Refused({"image": exc.messages}) from None
    return CaptureCheck(decoded, analyze(decoded.rgb, view).doc)


@transaction.atomic
def record_consent(actor: Actor, patient, *, scope: str, signer_name: str, signed_on: dt.date):
    actor.require("record_clinical")
    if scope not in ConsentScope.values:
        raise Refused(_("Unknown consent scope."))
    consent = PhotoConsent.objects.create(
        patient=patient,
        scope=scope,
        signer_name=signer_name,
        signed_on=signed_on,
        recorded_by=actor.user,
    )
    record(actor, "create", consent, patient=patient, summary=f"photo consent: {scope}")
    return consent


@transaction.atomic
def withdraw_consent(actor: Actor, consent: PhotoConsent) -> PhotoConsent:
    """New photos are refused from now on; photos already taken stay in the clinical record
    but are no longer shown to the patient or used for teaching."""
    actor.require("record_clinical")
    locked = PhotoConsent.objects.select_for_update().get(pk=consent.pk)
    if locked.withdrawn_at:
        raise Refused(_("This consent is already withdrawn."))
    locked.withdrawn_at = timezone.now()
    locked.withdrawn_by = actor.user
    locked.save(update_fields=["withdrawn_at", "withdrawn_by"])
    record(actor, "update", locked, patient=locked.patient, summary="photo consent withdrawn")
    return locked


def current_consent(patient) -> PhotoConsent | None:
    return patient.photo_consents.filter(withdrawn_at__isnull=True).order_by("-signed_on").first()


def upload_photo(
    actor: Actor,
    patient,
    *,
    data: bytes,
    view: str,
    taken_on: dt.date,
    session=None,
    area: str = "",
    accept_issues: bool = False,
    check: CaptureCheck | None = None,
) -> Photo:
    """Check, strip and store one photo. The analysis runs before the transaction opens, so
    no database lock is held while the image is measured."""
    actor.require("record_clinical")
    if current_consent(patient) is None:
        raise Refused(_("Record the patient's photo-use consent before taking photos."))
    if session is not None and session.patient_id != patient.pk:
        raise Refused(_("This session belongs to another patient."))
    check = check or check_photo(data, view)
    problems = check.problems
    if problems and not accept_issues:
        raise CaptureProblems(problems, check)
    encoded = uploads.image_jpeg(check.decoded)
    with transaction.atomic():
        consent = current_consent(patient)
        if consent is None:
            raise Refused(_("Record the patient's photo-use consent before taking photos."))
        h, w = check.decoded.rgb.shape[:2]
        photo = Photo(
            patient=patient,
            consent=consent,
            session=session,
            taken_on=taken_on,
            view=view,
            area=area,
            sha256=hashlib.sha256(encoded).hexdigest(),
            width=w,
            height=h,
            size_bytes=len(encoded),
            original_format=check.decoded.format,
            analysis=check.analysis,
            quality_ok=not problems,
            quality_override=bool(problems),
            uploaded_by=actor.user,
        )
        photo.file = storage.write(storage.photo_path(photo), encoded)
        photo.save()
        record(
            actor,
            "create",
            photo,
            patient=patient,
            summary=f"{view} photo of {taken_on.isoformat()}",
            detail={
                "quality_issues": problems,
                "exif_removed": check.decoded.had_exif,
                "gps_removed": check.decoded.had_gps,
            },
        )
        code = str(photo.code)
        transaction.on_commit(lambda: _enqueue_thumbnail(code))
    return photo


def _enqueue_thumbnail(code: str) -> None:
    from .tasks import make_thumbnail

    make_thumbnail.enqueue(code)
