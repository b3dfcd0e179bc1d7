"""FHIR `Patient/$everything` for a patient with 20 signed sessions (12 points each, two
products and lots), 20 appointments, a few side effects and GAIS scores.

- The whole request through the API (session authentication, every access function
  with its capability checks and audit, the FHIR mapping, the JSON encode), against a
  baseline measured in the same run: the same rows read bare (`.values()` of each table,
  no checks, no audit, no mapping) and JSON-encoded. The ratio is the cost of the API
  over the least any export of the same data could do.
- The encode of the finished Bundle alone, to show how much of the time is encoding.

Records are made with the ORM (the bench measures the export, not the charting). It runs
on a throw-away database (a temporary SQLite file, or its own database on PostgreSQL when
DATABASE_URL says so), created and dropped here.
"""

import datetime as dt
import os
import statistics
import time
from decimal import Decimal

from bench.common import Result
from bench.scheduling import _setup_django

SESSIONS, POINTS, RUNS = 20, 12, 15


def run() -> list[Result]:
    connection, old_name, tmp = _setup_django()
    try:
        return _measure(connection)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


def _patient():
    from django.utils import timezone

    from mesoclinic.accounts.models import Clinic
    from mesoclinic.followup.models import AdverseEvent, GaisScore
    from mesoclinic.scheduling import resources
    from mesoclinic.scheduling.models import Appointment
    from mesoclinic.screening.actions import screen_patient
    from mesoclinic.treatments.models import SessionPoint, TreatmentPlan, TreatmentSession
    from tests.support import personas
    from tests.support.products import make_lot, make_product

    clinic = Clinic.objects.create(name="Bench Clinic")
    doctor = personas.make_user("doctor", clinic, "physician")
    act = personas.actor(doctor)
    admin = personas.actor(personas.make_user("admin", clinic, "clinic_admin"))
    patient = personas.make_patient(act)
    personas.make_intake(act, patient, allergies=["lidocaine"])
    patient.refresh_from_db()
    products = [make_product(act, name=f"Booster {i}") for i in range(2)]
    lots = [
        make_lot(act, p, lot_number=f"L{i}", expiry=dt.date(2030, 1, 1))
        for i, p in enumerate(products)
    ]
    today = timezone.localdate()
    screening = screen_patient(act, patient, "face-mesolift", today,
                               [p.as_engine_product() for p in products])  # fmt: skip
    plan = TreatmentPlan.objects.create(
        patient=patient, protocol="face-mesolift", screening=screening,
        start_date=today, sessions_planned=SESSIONS, interval_min=14,
        interval_default=14, interval_max=21, maintenance_min=60, maintenance_max=120,
        concerns=["fine lines"], zones=["forehead", "cheeks"], knowledge_version="bench",
        created_by=doctor,
    )  # fmt: skip
    every = ["face-mesolift"]
    resources.set_opening_hours(admin, "mon-sun 08:00-20:00")
    practitioner = resources.save_practitioner(
        admin, doctor, protocols=every, hours="mon-sun 08:00-20:00"
    )
    room = resources.save_room(admin, name="Room 1", protocols=every)
    zones = ["forehead", "cheeks", "chin", "perioral", "jawline", "temples"]
    for n in range(1, SESSIONS + 1):
        start = timezone.now() - dt.timedelta(days=14 * (SESSIONS - n + 1))
        session = TreatmentSession.objects.create(
            plan=plan, patient=patient, number=n, protocol="face-mesolift", started_at=start,
            started_by=doctor, status="signed", signed_at=start + dt.timedelta(minutes=40),
            signed_by=doctor, notes=f"session {n}",
        )  # fmt: skip
        SessionPoint.objects.bulk_create(
            SessionPoint(session=session, stage=1, view="front", x=10 + i, y=20 + i,
                         zone=zones[i % len(zones)], depth_mm=Decimal("1.0"),
                         technique="papules", volume_ml=Decimal("0.050"), lot=lots[i % 2],
                         created_by=doctor)
            for i in range(POINTS)
        )  # fmt: skip
        Appointment.objects.create(
            clinic=clinic, patient=patient, plan=plan, session_number=n,
            protocol="face-mesolift", practitioner=practitioner, room=room, start=start,
            end=start + dt.timedelta(minutes=45), status="done", created_by=doctor,
        )  # fmt: skip
        if n % 5 == 0:
            event = AdverseEvent.objects.create(
                clinic=clinic, patient=patient, session=session, protocol="face-mesolift",
                source="staff", reported_at=start + dt.timedelta(days=1), symptoms=["redness"],
                severity="mild", hours_since_session=24, triage={"level": "expected"},
                level="expected", ctcae_grade=1,
            )  # fmt: skip
            event.lots.set(lots)
            GaisScore.objects.create(patient=patient, session=session, rater="practitioner",
                                     score=2, rated_on=start.date(), rated_by=doctor)  # fmt: skip
    return doctor, patient


def _bare(patient) -> bytes:
    """The same rows with no checks, audit or mapping: each table's `.values()`, encoded."""
    import msgspec

    from mesoclinic.followup.models import AdverseEvent, GaisScore
    from mesoclinic.patients.models import IntakeVersion, Patient
    from mesoclinic.products.models import Lot
    from mesoclinic.scheduling.models import Appointment
    from mesoclinic.screening.models import ScreeningRecord
    from mesoclinic.treatments.models import SessionPoint, TreatmentPlan, TreatmentSession

    data = {
        "patient": list(Patient.objects.filter(pk=patient.pk).values()),
        "intakes": list(IntakeVersion.objects.filter(patient=patient).values()),
        "screenings": list(ScreeningRecord.objects.filter(patient=patient).values()),
        "plans": list(TreatmentPlan.objects.filter(patient=patient).values()),
        "sessions": list(TreatmentSession.objects.filter(patient=patient).values()),
        "points": list(SessionPoint.objects.filter(session__patient=patient).values()),
        "lots": list(Lot.objects.filter(points__session__patient=patient).distinct().values()),
        "appointments": list(Appointment.objects.filter(patient=patient).values()),
        "events": list(AdverseEvent.objects.filter(patient=patient).values()),
        "gais": list(GaisScore.objects.filter(patient=patient).values()),
    }
    return msgspec.json.encode(data, enc_hook=str)


def _median_ms(fn) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _measure(connection) -> list[Result]:
    import json

    import msgspec
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    doctor, patient = _patient()
    client = Client()
    client.force_login(doctor)
    url = f"/fhir/Patient/{patient.code}/$everything"

    def api():
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
        return response

    body = json.loads(api().content)
    entries = len(body["entry"])
    procedures = sum(e["resource"]["resourceType"] == "Procedure" for e in body["entry"])
    assert procedures == SESSIONS, procedures
    with CaptureQueriesContext(connection) as queries:
        api()
    api_ms = _median_ms(api)
    bare_ms = _median_ms(lambda: _bare(patient))
    encode_ms = _median_ms(lambda: msgspec.json.encode(body))
    vendor = connection.vendor
    return [
        Result(
            f"Patient/$everything, {SESSIONS} sessions x {POINTS} points ({entries} resources, "
            f"{len(queries)} queries, {vendor})",
            api_ms, "ms (median)", "bare rows read + JSON encode", bare_ms,
            goal="< 250 ms", met=api_ms < 250,
        ),
        Result("encode of the finished Bundle alone", encode_ms, "ms (median)", "", None),
    ]  # fmt: skip
