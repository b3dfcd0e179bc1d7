"""The day view's appointments as light rows from one values() query (issue 18): about
700 rows instead of 2,800 model instances (appointment, patient, practitioner, room). The
rows answer what the day view and `glance.readiness` read, under the same names."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from mesoclinic.treatments.models import TreatmentPlan

from .models import Status

FIELDS = (
    *("id", "code", "start", "end", "status", "protocol", "session_number", "outside_window"),
    *("patient_id", "practitioner_id", "room_id", "plan_id"),
    *("patient__given_name", "patient__family_name", "patient__current_intake_id"),
    *("practitioner__name", "room__name"),
)


@dataclass(slots=True)
class DayPatient:
    given_name: str
    family_name: str
    current_intake_id: int | None

    @property
    def full_name(self) -> str:  # as Patient.full_name
        return f"{self.given_name} {self.family_name}"


@dataclass(slots=True)
class DayAppointment:
    pk: int
    code: object
    start: dt.datetime
    end: dt.datetime
    status: str
    protocol: str
    session_number: int | None
    outside_window: bool
    patient_id: int
    practitioner_id: int
    room_id: int
    plan_id: int | None
    patient: DayPatient
    plan: TreatmentPlan | None
    practitioner_name: str
    room_name: str

    def get_status_display(self) -> str:
        return Status(self.status).label


def day_rows(qs: QuerySet) -> list[DayAppointment]:
    """One query for the appointments (with patient, practitioner and room names), one for
    their plans (sessions planned; readiness prefetches their products)."""
    rows = list(qs.values(*FIELDS))
    plan_ids = {r["plan_id"] for r in rows if r["plan_id"] is not None}
    plans = (
        {
            p.pk: p
            for p in TreatmentPlan.objects.filter(pk__in=plan_ids).only("id", "sessions_planned")
        }
        if plan_ids
        else {}
    )
    return [
        DayAppointment(
            pk=r["id"],
            code=r["code"],
            start=r["start"],
            end=r["end"],
            status=r["status"],
            protocol=r["protocol"],
            session_number=r["session_number"],
            outside_window=r["outside_window"],
            patient_id=r["patient_id"],
            practitioner_id=r["practitioner_id"],
            room_id=r["room_id"],
            plan_id=r["plan_id"],
            patient=DayPatient(
                r["patient__given_name"],
                r["patient__family_name"],
                r["patient__current_intake_id"],
            ),
            plan=plans.get(r["plan_id"]),
            practitioner_name=r["practitioner__name"],
            room_name=r["room__name"],
        )
        for r in rows
    ]
