"""Every write of aftercare sheets, check-ins, adverse events, alerts and GAIS scores: one
transaction, an audit entry, and the e-mails the change calls for (outbox messages, written
in the same transaction and sent after the commit, retried if the mail server is down).

A patient acts on their own records only (the portal resolves which patient that is);
staff act in their own clinic, with `record_clinical`.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.accounts.actor import Actor
from mesoclinic.accounts.roles import Role
from mesoclinic.audit.actions import record
from mesoclinic.engine.aftercare import aftercare
from mesoclinic.engine.inputs import TriageInput
from mesoclinic.engine.knowledge import load
from mesoclinic.engine.triage import triage
from mesoclinic.lib import clinicday
from mesoclinic.lib.language import person_language
from mesoclinic.outbox import actions as outbox
from mesoclinic.products.models import Lot

from . import access
from .messages import AFTERCARE, ON_CALL_ALERT
from .models import (
    RESOLVED,
    AdverseEvent,
    AftercareSheet,
    CheckIn,
    ClinicAlert,
    GaisScore,
    Level,
    Outcome,
    Rater,
    Source,
)


def knowledge():
    """The knowledge in force (one place, so a test can swap it)."""
    return load()


def session_end(session) -> dt.datetime:
    """When the session ended: its sign-off (the record has no separate end time)."""
    return session.signed_at or session.started_at


def _own(actor: Actor, patient) -> None:
    """A patient acts on their own records; staff on their clinic's, with record_clinical."""
    if actor.role == Role.PATIENT:
        own = actor.patient
        if own is None or own.pk != patient.pk:
            raise PermissionDenied("not this patient's own record")
        return
    actor.require("record_clinical")
    if patient.clinic_id != actor.clinic.pk:
        raise PermissionDenied("another clinic's patient")


def store_aftercare_at_sign_off(sender, *, session, actor, **kwargs) -> None:
    """treatments.signals.session_signing: the aftercare of a session being signed off."""
    on_session_signed(actor, session)


@transaction.atomic
def on_session_signed(actor: Actor, session) -> AftercareSheet:
    """At sign-off (treatments.signals.session_signing, inside sign-off's transaction): store
    the engine's aftercare for the session, schedule the check-ins the knowledge defines,
    and e-mail the sheet to the patient. Calling it again returns the stored sheet."""
    actor.require("record_clinical")
    existing = AftercareSheet.objects.filter(session=session).first()
    if existing is not None:
        return existing
    if not session.is_signed:
        raise ValueError("aftercare is stored for a signed session")
    patient = session.patient
    end = clinicday.local(session_end(session), patient.clinic).replace(microsecond=0)
    lang = person_language(patient)
    care = aftercare(knowledge(), session.protocol, end, lang)
    sheet = AftercareSheet.objects.create(
        session=session,
        patient=patient,
        protocol=session.protocol,
        session_end=end,
        items=care,
        knowledge_version=care["knowledge_version"],
        language=lang,
    )
    for day in care["checkin_days"]:
        CheckIn.objects.get_or_create(
            session=session,
            day=day,
            defaults={"patient": patient, "due_at": clinicday.days_later(end, day, patient.clinic)},
        )
    record(
        actor,
        "create",
        sheet,
        patient=patient,
        summary=f"aftercare of session {session.number}, check-ins on days "
        + ", ".join(str(d) for d in care["checkin_days"]),
    )
    if patient.email:
        outbox.create(
            f"aftercare:{sheet.code}",
            AFTERCARE,
            clinic=patient.clinic,
            patient=patient,
            channel=outbox.Channel.EMAIL,
            about=sheet,
        )
    return sheet


def _triage(session, hours: float, symptoms, severity, fever, notes, lang) -> dict[str, Any]:
    inp = TriageInput(
        protocol=session.protocol,
        hours_since_session=hours,
        severity=severity or "mild",
        fever=bool(fever),
        symptoms=list(symptoms),
        notes=notes or None,
    )
    result = triage(knowledge(), inp, lang)
    result.pop("notify_clinic", None)  # the level says it
    return result


def describes_sign(notes: str) -> bool:
    """The patient's or the staff's free text describes a warning sign (the engine's one
    detector, the same that triage and `ask` use): it must be triaged even with nothing
    ticked."""
    return bool(notes and knowledge().signs.detector.detect(notes, after_session=True))


def _hours_since(session, at: dt.datetime) -> float:
    return max(0.0, round((at - session_end(session)).total_seconds() / 3600, 1))


def _create_event(
    actor: Actor, session, *, source, symptoms, severity, fever, notes, photo, at
) -> AdverseEvent:
    patient = session.patient
    hours = _hours_since(session, at)
    result = _triage(session, hours, symptoms, severity, fever, notes, person_language(patient))
    event = AdverseEvent.objects.create(
        clinic=patient.clinic,
        patient=patient,
        session=session,
        protocol=session.protocol,
        source=source,
        reported_by=actor.user,
        reported_at=at,
        symptoms=sorted(set(symptoms)),
        severity=severity or "mild",
        fever=bool(fever),
        notes=notes or "",
        photo=photo or "",
        hours_since_session=hours,
        triage=result,
        level=result["level"],
    )
    event.lots.set(Lot.objects.filter(points__session=session).distinct())
    record(
        actor,
        "create",
        event,
        patient=patient,
        summary=f"side effect ({source}): {result['level']}",
        detail={"symptoms": event.symptoms, "rules": result.get("rules", [])},
    )
    if event.level != Level.EXPECTED:
        alert = ClinicAlert.objects.create(
            clinic=patient.clinic, adverse_event=event, level=event.level
        )
        record(actor, "create", alert, patient=patient, summary=f"clinic alert: {alert.level}")
        access.forget_alert_count(patient.clinic)
        outbox.create(
            f"alert:{alert.code}",
            ON_CALL_ALERT,
            clinic=patient.clinic,
            patient=patient,
            channel=outbox.Channel.EMAIL,
            about=alert,
        )
    return event


@transaction.atomic
def report_side_effect(
    actor: Actor,
    session,
    *,
    symptoms: list[str],
    severity: str,
    fever: bool = False,
    notes: str = "",
    photo=None,
    at: dt.datetime | None = None,
) -> AdverseEvent:
    """A side effect reported by the patient (portal) or to the staff: triaged at once,
    stored as an adverse event with the session's lots; above "expected" the clinic is
    alerted (dashboard until acknowledged, and an e-mail to the on-call address)."""
    _own(actor, session.patient)
    if not symptoms and not fever and not describes_sign(notes):
        raise ValidationError({"symptoms": [_("Tick at least one thing you notice.")]})
    source = Source.PORTAL if actor.role == Role.PATIENT else Source.STAFF
    return _create_event(
        actor,
        session,
        source=source,
        symptoms=symptoms,
        severity=severity,
        fever=fever,
        notes=notes,
        photo=photo,
        at=at or timezone.now(),
    )


@transaction.atomic
def answer_checkin(
    actor: Actor,
    checkin: CheckIn,
    *,
    symptoms: list[str],
    severity: str = "",
    fever: bool = False,
    notes: str = "",
    photo=None,
) -> CheckIn:
    """The answer to a due check-in. Symptoms are triaged; anything above "expected" is
    also recorded as an adverse event (source: check-in), which alerts the clinic."""
    _own(actor, checkin.patient)
    now = timezone.now()
    checkin = (
        CheckIn.objects.select_for_update().select_related("session__patient").get(pk=checkin.pk)
    )
    if checkin.is_answered:
        raise ValidationError(_("This check-in has already been answered."))
    if checkin.due_at > now:
        raise ValidationError(_("This check-in is not open yet."))
    if (symptoms or fever) and not severity:
        raise ValidationError({"severity": [_("Say how bad it is.")]})
    session = checkin.session
    checkin.answered_at, checkin.answered_by = now, actor.user
    checkin.symptoms, checkin.fever, checkin.notes = sorted(set(symptoms)), bool(fever), notes
    # notes that describe a warning sign are triaged even when nothing is ticked
    reported = bool(symptoms or fever) or describes_sign(notes)
    checkin.severity = severity if (symptoms or fever) else ""
    if photo:
        checkin.photo = photo
    if reported:
        hours = _hours_since(session, now)
        lang = person_language(checkin.patient)
        checkin.triage = _triage(session, hours, symptoms, severity, fever, notes, lang)
        if checkin.triage["level"] != Level.EXPECTED:
            checkin.adverse_event = _create_event(
                actor,
                session,
                source=Source.CHECKIN,
                symptoms=symptoms,
                severity=severity,
                fever=fever,
                notes=notes,
                photo=photo,
                at=now,
            )
    checkin.save()
    level = checkin.triage["level"] if checkin.triage else "well"
    record(actor, "update", checkin, patient=checkin.patient, summary=f"check-in answered: {level}")
    return checkin


@transaction.atomic
def acknowledge_alert(actor: Actor, alert: ClinicAlert) -> ClinicAlert:
    """Someone in the clinic has seen the alert and takes it on."""
    actor.require("record_clinical")
    alert = ClinicAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.clinic_id != actor.clinic.pk:
        raise PermissionDenied("another clinic's alert")
    if alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by = timezone.now(), actor.user
        alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
        record(actor, "update", alert, summary=f"alert acknowledged ({alert.level})")
        access.forget_alert_count(actor.clinic)
    return alert


EDITABLE = ("ctcae_grade", "actions_taken", "outcome", "resolved_at")


@transaction.atomic
def update_adverse_event(actor: Actor, event: AdverseEvent, data: dict[str, Any]) -> AdverseEvent:
    """The staff's grading, actions taken and resolution; every change audited."""
    actor.require("record_clinical")
    event = AdverseEvent.objects.select_for_update().get(pk=event.pk)
    if event.clinic_id != actor.clinic.pk:
        raise PermissionDenied("another clinic's adverse event")
    new = {f: data.get(f, getattr(event, f)) for f in EDITABLE}
    errors = {}
    if new["outcome"] in RESOLVED:
        if new["resolved_at"] is None:
            errors["resolved_at"] = _("Give the date it resolved.")
        elif new["resolved_at"] > timezone.now():
            errors["resolved_at"] = _("This date is in the future.")
        elif new["resolved_at"] < event.reported_at - dt.timedelta(days=1):
            errors["resolved_at"] = _("It cannot have resolved before it was reported.")
    elif new["resolved_at"] is not None:
        errors["resolved_at"] = _("Only a resolved event has a resolution date.")
    if new["ctcae_grade"] is not None and not 1 <= new["ctcae_grade"] <= 5:
        errors["ctcae_grade"] = _("CTCAE grades run from 1 to 5.")
    if new["outcome"] not in Outcome.values:
        errors["outcome"] = _("Choose an outcome.")
    if errors:
        raise ValidationError(errors)
    changed = {
        f: {"before": _plain(getattr(event, f)), "after": _plain(new[f])}
        for f in EDITABLE
        if getattr(event, f) != new[f]
    }
    if changed:
        for f in changed:
            setattr(event, f, new[f])
        event.save(update_fields=[*changed, "updated_at"])
        record(
            actor,
            "update",
            event,
            patient=event.patient,
            summary="adverse event: " + ", ".join(sorted(changed)),
            detail={"changed": changed},
        )
    return event


def _plain(value):
    return value.isoformat() if isinstance(value, dt.datetime) else value


@transaction.atomic
def record_gais(
    actor: Actor, session, *, score: int, rated_on: dt.date | None = None, notes: str = ""
) -> GaisScore:
    """A GAIS score at a follow-up: by the practitioner (staff) or by the patient (portal)."""
    _own(actor, session.patient)
    if not session.is_signed:
        raise ValidationError(_("Rate the result of a signed-off session."))
    if score not in range(1, 6):
        raise ValidationError({"score": [_("Choose one of the five answers.")]})
    today = clinicday.today(actor.clinic)  # the patient's own clinic, or the staff's
    rated_on = rated_on or today
    if rated_on > today:
        raise ValidationError({"rated_on": [_("This date is in the future.")]})
    rater = Rater.PATIENT if actor.role == Role.PATIENT else Rater.PRACTITIONER
    gais = GaisScore.objects.create(
        patient=session.patient,
        session=session,
        rater=rater,
        score=score,
        rated_on=rated_on,
        rated_by=actor.user,
        notes=notes[:300],
    )
    record(actor, "create", gais, patient=session.patient, summary=f"GAIS {score} ({rater})")
    return gais
