"""Erasing a patient who asks (GDPR Art. 17, KVKK Art. 7): one transaction, audited.

Always removed: the contact details and preferred language, the portal account (closed,
its name and address blanked), the photographs and every uploaded file (check-in and
side-effect photos), the messages not sent yet, and the addresses and texts of those
sent. Kept while the clinic's retention period runs (see retention.py): the clinical
record with the name and date of birth it is filed under, because the law obliges the
clinic to keep it. Once the period has passed, the identity is anonymised in place too:
the name, the date of birth (to 1 January of its year), the signer's name and the drawn
signature on the consents (through the one narrow path in redact.py; the append-only
triggers stay). The clinical facts (sessions, products, lots, side effects) stay, with
no one's name on them, so stock recalls and the clinic's figures keep their integrity.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from mesoclinic.accounts.actor import Actor
from mesoclinic.audit.actions import record
from mesoclinic.consent.models import Consent
from mesoclinic.core.db import maintenance
from mesoclinic.followup.models import AdverseEvent, CheckIn
from mesoclinic.lib import clinicday, uploads
from mesoclinic.lib.refusals import Refused
from mesoclinic.outbox.models import Message, MessageStatus
from mesoclinic.patients.models import Patient
from mesoclinic.photos.models import Photo, PhotoConsent
from mesoclinic.portal.models import PortalAccount
from mesoclinic.treatments.models import TreatmentSession

from .models import PatientErasure, RetentionPolicy
from .redact import redact
from .retention import add_years, policy_of


def last_care(patient) -> dt.date:
    """The day of the patient's last clinical record (a session, a consent, registration)."""
    moments = [patient.created_at]
    session = TreatmentSession.objects.filter(patient=patient).order_by("-started_at").first()
    if session:
        moments.append(session.started_at)
    consent = Consent.objects.filter(patient=patient).order_by("-signed_at").first()
    if consent:
        moments.append(consent.signed_at)
    return clinicday.local_date(max(moments), patient.clinic)


def plan(patient, today: dt.date | None = None) -> dict:
    """What an erasure of this patient would do today: for the confirmation page."""
    years, reason = policy_of(patient.clinic)
    today = today or clinicday.today(patient.clinic)
    until = add_years(last_care(patient), years)
    return {
        "years": years,
        "reason": reason,
        "last_care": last_care(patient),
        "retained_until": until,
        "anonymise_identity": today >= until,
        "photos": Photo.objects.filter(patient=patient).count(),
    }


def _remove_files(patient) -> int:
    """Every photo file of the patient (photos, thumbnails, aligned pairs) and every
    uploaded follow-up photo; returns how many files went."""
    removed = 0
    photos = uploads.storage("photos")
    folder = f"{patient.clinic.code}/{patient.code}"

    def wipe(store, path: str) -> int:
        n = 0
        try:
            dirs, files = store.listdir(path)
        except (FileNotFoundError, NotADirectoryError):
            return 0
        for name in files:
            store.delete(f"{path}/{name}")
            n += 1
        for name in dirs:
            n += wipe(store, f"{path}/{name}")
        return n

    removed += wipe(photos, folder)
    with maintenance("erasure"):  # the one path past the photo records' DELETE guard
        Photo.objects.filter(patient=patient).delete()
    for model in (CheckIn, AdverseEvent):
        for row in model.objects.filter(patient=patient).exclude(photo=""):
            row.photo.delete(save=False)
            removed += 1
        model.objects.filter(patient=patient).exclude(photo="").update(photo="")
    return removed


def _close_portal(patient) -> int:
    account = PortalAccount.objects.select_related("user").filter(patient=patient).first()
    if account is None:
        return 0
    user = account.user
    user.is_active = False
    user.email = ""
    user.first_name = user.last_name = ""
    user.set_unusable_password()
    user.save(update_fields=["is_active", "email", "first_name", "last_name", "password"])
    return 1


def _messages(patient) -> int:
    Message.objects.filter(
        patient=patient, status__in=[MessageStatus.PENDING, MessageStatus.FAILED]
    ).update(status=MessageStatus.CANCELLED)
    return Message.objects.filter(patient=patient).update(to="", subject="", body="", params={})


def _anonymise_identity(patient) -> int:
    patient.given_name = "—"
    patient.family_name = f"#{str(patient.code)[:8]}"
    patient.birth_date = patient.birth_date.replace(month=1, day=1)
    pks = list(Consent.objects.filter(patient=patient).values_list("pk", flat=True))
    redact(Consent, pks, {"signer_name": "—", "signature": "", "ip": None, "typed_signature": True})
    PhotoConsent.objects.filter(patient=patient).update(signer_name="—")
    return len(pks)


@transaction.atomic
def erase_patient(actor: Actor, patient, note: str) -> PatientErasure:
    """Erase what the law lets the clinic erase, now; see the module's text."""
    actor.require("manage_clinic")
    if patient.clinic_id != actor.clinic.pk:
        raise Http404("no such patient")
    if actor.user is None:
        raise PermissionDenied("an erasure is done by a person")

    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    if PatientErasure.objects.filter(patient=patient).exists():
        raise Refused(_("This patient's data was erased already."))
    note = (note or "").strip()
    if not note:
        raise Refused(_("Say how the patient asked (date, letter, e-mail)."))
    what = plan(patient)
    counts = {
        "files": _remove_files(patient),
        "portal_accounts": _close_portal(patient),
        "messages": _messages(patient),
    }
    patient.phone = ""
    patient.email = ""
    patient.language = ""
    if what["anonymise_identity"]:
        counts["consents_redacted"] = _anonymise_identity(patient)
    patient.save()
    erasure = PatientErasure.objects.create(
        clinic=actor.clinic,
        patient=patient,
        erased_by=actor.user,
        note=note[:300],
        retained_until=None if what["anonymise_identity"] else what["retained_until"],
        identity_anonymised=what["anonymise_identity"],
        counts=counts,
    )
    record(
        actor,
        "erase",
        patient,
        patient=patient,
        summary="personal data erased"
        + ("" if what["anonymise_identity"] else f"; record kept until {what['retained_until']}"),
        detail={**counts, "note": note[:300], "retention_years": what["years"]},
    )
    return erasure


@transaction.atomic
def set_retention(actor: Actor, years: int, reason: str):
    """The clinic's retention period and its reason (audited)."""
    actor.require("manage_clinic")
    if not 0 <= years <= 100:
        raise Refused({"years": [_("Give a number of years between 0 and 100.")]})
    policy, _created = RetentionPolicy.objects.update_or_create(
        clinic=actor.clinic, defaults={"years": years, "reason": reason.strip()}
    )
    record(
        actor,
        "update",
        actor.clinic,
        summary=f"retention period {years} years",
        detail={"years": years, "reason": reason.strip()[:300]},
    )
    return policy
