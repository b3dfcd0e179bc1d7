"""Every read of a document: who may have it, from which clinic, and an audit entry for
each PDF made ("export"). Staff need `view_clinical` in the patient's clinic; a patient
only gets their own records, signed (never a draft session).
"""

from django.http import Http404

from mesoclinic.accounts.actor import Actor
from mesoclinic.accounts.roles import Role
from mesoclinic.audit.actions import record
from mesoclinic.consent.models import Consent
from mesoclinic.followup.models import AdverseEvent, AftercareSheet
from mesoclinic.lib.pdf import render_pdf, safe_filename
from mesoclinic.patients.models import Patient
from mesoclinic.portal.access import patient_of
from mesoclinic.treatments.models import SessionStatus, TreatmentPlan, TreatmentSession

from . import build


def _patient_of(actor: Actor):
    return patient_of(actor)


def _may_read(actor: Actor, patient) -> None:
    """Staff with view_clinical in the patient's clinic, or the patient themself; else 404
    (another clinic's record or another patient's does not exist for the asker)."""
    if actor.role == Role.PATIENT:
        own = _patient_of(actor)
        if own is None or own.pk != patient.pk:
            raise Http404("no such record")
        return
    actor.require("view_clinical")
    if patient.clinic_id != actor.clinic.pk:
        raise Http404("no such record")


def _get(qs, code, what: str):
    try:
        return qs.get(code=code)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404(f"no such {what}") from None


def _audited(actor: Actor, doc: build.Document, obj, patient, what: str) -> build.Document:
    record(
        actor,
        "export",
        obj,
        patient=patient,
        summary=f"PDF: {what} ({doc.language})",
        detail={"document": what, "language": doc.language},
    )
    return doc


def consent(actor: Actor, code) -> build.Document:
    c = _get(
        Consent.objects.select_related(
            "template", "patient__clinic", "witnessed_by__membership", "withdrawal"
        ),
        code,
        "consent",
    )
    _may_read(actor, c.patient)
    return _audited(actor, build.consent_document(c), c, c.patient, "consent")


def session(actor: Actor, code) -> build.Document:
    s = _get(
        TreatmentSession.objects.select_related("plan", "patient__clinic", "signed_by"),
        code,
        "session",
    )
    _may_read(actor, s.patient)
    if actor.role == Role.PATIENT and s.status != SessionStatus.SIGNED:
        raise Http404("no such session")
    return _audited(actor, build.session_document(s), s, s.patient, "session record")


def aftercare(actor: Actor, session_code) -> build.Document:
    try:
        sheet = AftercareSheet.objects.select_related("patient__clinic", "session").get(
            session__code=session_code
        )
    except (AftercareSheet.DoesNotExist, ValueError, TypeError):
        raise Http404("no such aftercare sheet") from None
    _may_read(actor, sheet.patient)
    return _audited(actor, build.aftercare_document(sheet), sheet, sheet.patient, "aftercare")


def _summary_parts(patient):
    plans = list(TreatmentPlan.objects.filter(patient=patient).order_by("start_date", "id"))
    consents = list(
        Consent.objects.filter(patient=patient).select_related("template", "withdrawal")
    )
    events = list(AdverseEvent.objects.filter(patient=patient).order_by("reported_at"))
    return plans, consents, events


def summary(actor: Actor, patient_code, audience: str = "patient") -> build.Document:
    patient = _get(Patient.objects.select_related("clinic"), patient_code, "patient")
    _may_read(actor, patient)
    if audience not in build.AUDIENCES or (actor.role == Role.PATIENT and audience != "patient"):
        raise Http404("no such summary")
    doc = build.summary_document(patient, *_summary_parts(patient), audience=audience)
    return _audited(actor, doc, patient, patient, f"treatment summary for the {audience}")


def pdf_of(doc: build.Document) -> bytes:
    return render_pdf(doc.template, doc.context, language=doc.language)


def patient_documents(actor: Actor, patient) -> list[tuple[str, bytes]]:
    """Every document of the patient as (file name, PDF): each consent, each signed session
    record and its aftercare sheet, and the treatment summary; for the patient's own copy.
    Checked and audited like each download."""
    _may_read(actor, patient)
    docs = [consent(actor, c.code) for c in Consent.objects.filter(patient=patient)]
    signed = TreatmentSession.objects.filter(patient=patient, status=SessionStatus.SIGNED)
    docs += [session(actor, s.code) for s in signed]
    sheets = AftercareSheet.objects.filter(patient=patient).select_related("session")
    docs += [aftercare(actor, sheet.session.code) for sheet in sheets]
    docs.append(summary(actor, patient.code, "patient"))
    out, seen = [], set()
    for doc in docs:
        name = safe_filename(doc.filename)
        n = 2
        while name in seen:  # two consents to one protocol signed the same day
            name = safe_filename(f"{doc.filename}-{n}")
            n += 1
        seen.add(name)
        out.append((name, pdf_of(doc)))
    return out
