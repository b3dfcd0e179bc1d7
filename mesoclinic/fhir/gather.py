"""One patient's records, read through each app's `access` functions (their capability
checks and audit), turned into FHIR resources by the map_* modules.

`Context` carries who asks, in which language, and how to make absolute URLs. Each
collector takes (ctx, patient) and returns a list of resources of one type; a few reads
are shared between types and cached on the context for one request.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import prefetch_related_objects
from django.urls import reverse

from mesoclinic.accounts.actor import Actor
from mesoclinic.consent import access as consent_access
from mesoclinic.engine.knowledge import Knowledge, load
from mesoclinic.followup import access as followup_access
from mesoclinic.lib import clinicday
from mesoclinic.patients import access as patient_access
from mesoclinic.photos import access as photo_access
from mesoclinic.scheduling import access as scheduling_access
from mesoclinic.screening import access as screening_access
from mesoclinic.treatments import access as treatment_access

from . import map_care, map_intake, map_outcomes


@dataclass
class Context:
    actor: Actor
    lang: str = "en"
    absolute: Callable[[str], str] = lambda path: path
    k: Knowledge = field(default_factory=load)
    cache: dict = field(default_factory=dict)

    def once(self, key, fn):
        if key not in self.cache:
            self.cache[key] = fn()
        return self.cache[key]


# --- shared reads -------------------------------------------------------------------------


def _intakes(ctx: Context, patient) -> list:
    return ctx.once(
        ("intakes", patient.pk), lambda: patient_access.intake_history(ctx.actor, patient)
    )


def _current_intake(ctx: Context, patient):
    return next((i for i in _intakes(ctx, patient) if i.pk == patient.current_intake_id), None)


def _plans(ctx: Context, patient) -> list:
    def read():
        plans = treatment_access.plans_for(ctx.actor, patient)
        prefetch_related_objects(plans, "created_by", "screening")
        sessions = [s for plan in plans for s in plan.sessions.all()]
        prefetch_related_objects(sessions, "points__lot__product", "amendments", "signed_by")
        for plan in plans:
            for s in plan.sessions.all():
                s.plan = plan
        return plans

    return ctx.once(("plans", patient.pk), read)


def _signed_sessions(ctx: Context, patient) -> list:
    return [s for plan in _plans(ctx, patient) for s in plan.sessions.all() if s.is_signed]


def _appointments(ctx: Context, patient) -> list:
    return ctx.once(
        ("appointments", patient.pk),
        lambda: scheduling_access.patient_appointments(ctx.actor, patient),
    )


def _photos(ctx: Context, patient) -> list:
    """Photos under an active photo-use consent only: a withdrawn consent takes its
    photos out of every export at once."""

    def read():
        photos = photo_access.photos_for(ctx.actor, patient)
        prefetch_related_objects(photos, "consent")
        return [p for p in photos if p.consent.active]

    return ctx.once(("photos", patient.pk), read)


def _chart(ctx: Context, patient) -> dict:
    def read():
        chart = followup_access.for_chart(ctx.actor, patient)
        prefetch_related_objects(chart["gais"], "rated_by")
        return chart

    return ctx.once(("chart", patient.pk), read)


# --- one collector per resource type -------------------------------------------------------


def patients(ctx: Context, patient) -> list[dict]:
    return [map_intake.patient(patient, ctx.actor.clinic.name)]


def questionnaires(ctx: Context, patient) -> list[dict]:
    return [map_intake.questionnaire(ctx.k, ctx.lang)]


def questionnaire_responses(ctx: Context, patient) -> list[dict]:
    return [
        map_intake.questionnaire_response(ctx.k, i, patient.code, i.pk == patient.current_intake_id)
        for i in _intakes(ctx, patient)
    ]


def _from_current(fn):
    def collect(ctx: Context, patient) -> list[dict]:
        intake = _current_intake(ctx, patient)
        return fn(ctx.k, intake, patient.code) if intake is not None else []

    return collect


allergies = _from_current(map_intake.allergies)
conditions = _from_current(map_intake.conditions)
medication_statements = _from_current(map_intake.medication_statements)


def consents(ctx: Context, patient) -> list[dict]:
    treatment = consent_access.consents_for(ctx.actor, patient)
    photo = photo_access.consents_for(ctx.actor, patient)
    return [map_care.consent(ctx.k, r, patient.code, ctx.lang) for r in treatment] + [
        map_care.photo_consent(r, patient.code) for r in photo
    ]


def care_plans(ctx: Context, patient) -> list[dict]:
    appointments = _appointments(ctx, patient)
    return [
        map_care.care_plan(
            ctx.k,
            plan,
            patient.code,
            ctx.lang,
            list(plan.sessions.all()),
            [a for a in appointments if a.plan_id == plan.pk],
        )
        for plan in _plans(ctx, patient)
    ]


def appointments(ctx: Context, patient) -> list[dict]:
    return [
        map_care.appointment(ctx.k, a, patient.code, ctx.lang) for a in _appointments(ctx, patient)
    ]


def procedures(ctx: Context, patient) -> list[dict]:
    return [
        map_care.procedure(
            ctx.k, s, patient.code, ctx.lang, list(s.points.all()), list(s.amendments.all())
        )
        for s in _signed_sessions(ctx, patient)
    ]


def medications(ctx: Context, patient) -> list[dict]:
    """The lots used in the patient's signed sessions, each a Medication with its batch."""
    lots = {}
    for s in _signed_sessions(ctx, patient):
        for p in s.points.all():
            lots.setdefault(p.lot.pk, p.lot)
    for event in _chart(ctx, patient)["events"]:
        for lot in event.lots.all():
            lots.setdefault(lot.pk, lot)
    missing = [lot for lot in lots.values() if "product" not in lot._state.fields_cache]
    prefetch_related_objects(missing, "product")
    today = clinicday.today(ctx.actor.clinic)
    return [map_care.medication(lot, today) for lot in lots.values()]


def _file_url(ctx: Context, photo) -> str:
    return ctx.absolute(reverse("photos:file", args=[photo.code, "full"]))


def media(ctx: Context, patient) -> list[dict]:
    return [map_outcomes.media(p, patient.code, _file_url(ctx, p)) for p in _photos(ctx, patient)]


def observations(ctx: Context, patient) -> list[dict]:
    out = [map_outcomes.gais(g, patient.code) for g in _chart(ctx, patient)["gais"]]
    for photo in _photos(ctx, patient):
        measures = map_outcomes.photo_measures(photo, patient.code)
        if measures is not None:
            out.append(measures)
    return out


def adverse_events(ctx: Context, patient) -> list[dict]:
    ctx.actor.require("view_adverse_events")
    return [
        map_outcomes.adverse_event(e, patient.code, list(e.lots.all()))
        for e in _chart(ctx, patient)["events"]
    ]


def detected_issues(ctx: Context, patient) -> list[dict]:
    out = []
    for s in screening_access.screenings_for(ctx.actor, patient):
        issue = map_outcomes.detected_issue(s, patient.code, ctx.k.citations)
        if issue is not None:
            out.append(issue)
    return out


COLLECTORS: dict[str, Callable[[Context, object], list[dict]]] = {
    "Patient": patients,
    "QuestionnaireResponse": questionnaire_responses,
    "AllergyIntolerance": allergies,
    "Condition": conditions,
    "MedicationStatement": medication_statements,
    "Consent": consents,
    "CarePlan": care_plans,
    "Appointment": appointments,
    "Procedure": procedures,
    "Medication": medications,
    "Media": media,
    "Observation": observations,
    "AdverseEvent": adverse_events,
    "DetectedIssue": detected_issues,
}


def everything(ctx: Context, patient) -> list[dict]:
    """Every resource of the patient, the Questionnaire its responses answer included."""
    ctx.actor.require("view_clinical")
    out = []
    for name, collect in COLLECTORS.items():
        out += collect(ctx, patient)
        if name == "Patient":
            out += questionnaires(ctx, patient)
    return out
