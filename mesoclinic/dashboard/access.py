"""The dashboard's reads of other apps' records that name patients: the clinician's day
and the lists behind the figures. Each checks the capability, scopes to the clinic (and
to the chosen practitioner) and is bounded. The figures themselves are in stats.py."""

from mesoclinic.accounts.actor import Actor
from mesoclinic.accounts.models import Membership
from mesoclinic.billing.models import Payment
from mesoclinic.lib import clinicday
from mesoclinic.scheduling.models import Appointment
from mesoclinic.treatments.models import TreatmentSession

from . import stats

LIST_LIMIT = 500


def practitioners(actor: Actor) -> dict[str, object]:
    """user code -> User: the clinic's active physicians and nurses (the filter's choices;
    staff names, no patient data)."""
    staff = Membership.objects.filter(
        clinic=actor.clinic, role__in=["physician", "nurse"], is_active=True
    ).select_related("user")
    return {str(m.user.code): m.user for m in staff}


def clinician_day(actor: Actor) -> dict:
    """Today's appointments (the clinician's own when there are any), and the clinic's
    sessions not yet signed off."""
    today = clinicday.today(actor.clinic)
    lo, hi = clinicday.day_bounds(today, actor.clinic)
    appointments = list(
        Appointment.objects.filter(clinic=actor.clinic, start__gte=lo, start__lt=hi)
        .exclude(status="cancelled")
        .select_related("patient", "practitioner", "room")
        .order_by("start")
    )
    mine = [a for a in appointments if a.practitioner and a.practitioner.user_id == actor.user.pk]
    unsigned = (
        TreatmentSession.objects.filter(patient__clinic=actor.clinic, status="open")
        .select_related("patient")
        .order_by("started_at")
    )
    return {
        "today": today,
        "appointments": mine or appointments,
        "only_mine": bool(mine),
        "unsigned": list(unsigned[:50]),
    }


def signed_sessions(actor: Actor, f: stats.Filters) -> list[TreatmentSession]:
    actor.require("view_clinical")
    return list(
        TreatmentSession.objects.filter(**stats.session_filter(actor, f))
        .select_related("patient", "signed_by")
        .order_by("signed_at")[:LIST_LIMIT]
    )


def payments(actor: Actor, f: stats.Filters) -> list[Payment]:
    actor.require("view_billing")
    lo, hi = stats.bounds(actor, f)
    qs = Payment.objects.filter(clinic=actor.clinic, taken_at__gte=lo, taken_at__lt=hi)
    if f.practitioner:
        qs = qs.filter(practitioner=f.practitioner)
    return list(qs.select_related("patient", "practitioner").order_by("taken_at")[:LIST_LIMIT])


def no_shows(actor: Actor, f: stats.Filters) -> list[Appointment]:
    actor.require("book_appointments")
    lo, hi = stats.bounds(actor, f)
    qs = Appointment.objects.filter(
        clinic=actor.clinic, start__gte=lo, start__lt=hi, status="no_show"
    )
    if f.practitioner:
        qs = qs.filter(practitioner__user=f.practitioner)
    return list(qs.select_related("patient", "practitioner").order_by("start")[:LIST_LIMIT])
