"""The owner's dashboard at a year of a busy clinic (issue 17): 2,000 patients, about
12,000 signed sessions with 5 points each, 12,000 appointments, 12,000 payments, side
effects on 2 % of sessions, GAIS scores, and a measured front photo at every session of
one plan in three (about 4,000 photos), seeded through the models (bulk inserts).

Each dashboard page is fetched through Django's test client (the whole request: session,
middleware, queries, templates, SVG), best of 5, against a baseline measured in the same
run: the one raw query that reads the signed sessions of the same range (the least any
page about those sessions must do). Goal: every page under 300 ms on PostgreSQL.

It runs on a throw-away database (SQLite file, or mesoclinic_bench_<pid> on PostgreSQL
when DATABASE_URL says so), created and dropped here.
"""

import datetime as dt
import random
import time
from decimal import Decimal

from bench.common import Result
from bench.scheduling import _setup_django

PATIENTS, STAFF, DAYS, SESSIONS_PER_DAY, POINTS = 2000, 10, 365, 33, 5
GOAL_MS = 300


def _photos(rng, clinic, sessions, nurse):
    """Front photos with their measures at every session of one plan in three (the
    outcome figures read them): the pigmented area and redness fall over a series."""
    from mesoclinic.photos.models import Photo, PhotoConsent

    by_plan: dict = {}
    for s in sessions:
        by_plan.setdefault(s.plan_id, []).append(s)
    chosen = [ss for plan, ss in sorted(by_plan.items()) if plan % 3 == 0]
    consents = PhotoConsent.objects.bulk_create(
        PhotoConsent(
            patient_id=ss[0].patient_id,
            scope="clinical",
            signer_name="bench",
            signed_on=ss[0].started_at.date(),
            recorded_by=nurse,
        )
        for ss in chosen
    )
    photos = []
    for consent, ss in zip(consents, chosen, strict=True):
        area, erythema = rng.uniform(4, 12), rng.uniform(8, 16)
        for s in ss:
            photos.append(
                Photo(
                    patient_id=s.patient_id,
                    consent=consent,
                    session=s,
                    taken_on=s.started_at.date(),
                    view="front",
                    area="face",
                    file=f"bench/{s.pk}.jpg",
                    sha256="0" * 64,
                    width=1600,
                    height=1200,
                    size_bytes=350_000,
                    original_format="jpeg",
                    analysis={
                        "regions": {
                            region: {
                                "pigmented_area_pct": round(area * rng.uniform(0.9, 1.1), 2),
                                "erythema_index": round(erythema, 2),
                                "mean_a_star": round(erythema * 0.9, 2),
                                "ita_deg": round(rng.uniform(30, 40), 1),
                            }
                            for region in ("face", "forehead", "left_cheek", "right_cheek")
                        }
                    },
                    uploaded_by=nurse,
                )
            )
            area, erythema = area * 0.9, erythema * 0.95
    Photo.objects.bulk_create(photos, batch_size=2000)


def _seed(rng):
    from django.db.models import F
    from django.utils import timezone

    from mesoclinic.accounts.models import Clinic
    from mesoclinic.billing.models import Payment
    from mesoclinic.followup.models import AdverseEvent, GaisScore
    from mesoclinic.lib import clinicday
    from mesoclinic.patients.models import Patient
    from mesoclinic.products.models import Lot, Product
    from mesoclinic.scheduling.models import Appointment, Practitioner, Room
    from mesoclinic.screening.models import ScreeningRecord
    from mesoclinic.treatments.models import SessionPoint, TreatmentPlan, TreatmentSession
    from tests.support import personas

    clinic = Clinic.objects.create(name="Bench Clinic")
    admin = personas.make_user("owner", clinic, "clinic_admin")
    staff = [
        personas.make_user(f"doc{i}", clinic, "physician" if i % 2 else "nurse")
        for i in range(STAFF)
    ]
    practitioners = [
        Practitioner.objects.create(
            clinic=clinic, user=u, name=u.username, protocols=["face-mesolift"]
        )
        for u in staff
    ]
    room = Room.objects.create(clinic=clinic, name="Room 1", protocols=["face-mesolift"])
    products = [
        Product.objects.create(
            clinic=clinic,
            name=f"Product {i}",
            product_class="ha-skin-booster",
            ingredients=["sodium hyaluronate"],
            vehicle="aqueous",
        )
        for i in range(4)
    ]
    today = clinicday.today(clinic)
    lots = [
        Lot.objects.create(
            product=p,
            lot_number=f"L{p.pk}-{j}",
            expiry=today + dt.timedelta(days=400),
            quantity_received=Decimal(5000),
            quantity_remaining=Decimal(2000),
        )
        for p in products
        for j in range(5)
    ]
    patients = Patient.objects.bulk_create(
        Patient(
            clinic=clinic,
            given_name=f"P{i}",
            family_name="Bench",
            birth_date=dt.date(1985, 1, 1),
            search_name=f"p{i} bench",
        )
        for i in range(PATIENTS)
    )
    start = today - dt.timedelta(days=DAYS)
    screenings = ScreeningRecord.objects.bulk_create(
        ScreeningRecord(
            patient=p,
            protocol="face-mesolift",
            planned_date=start,
            result={},
            decision="eligible",
            knowledge_version="bench",
        )
        for p in patients
    )
    plans = TreatmentPlan.objects.bulk_create(
        TreatmentPlan(
            patient=p,
            protocol="face-mesolift",
            screening=s,
            start_date=start + dt.timedelta(days=rng.randrange(DAYS)),
            sessions_planned=6,
            interval_min=7,
            interval_default=14,
            interval_max=28,
            maintenance_min=90,
            maintenance_max=180,
            knowledge_version="bench",
            status=rng.choice(["completed", "completed", "active", "stopped"]),
        )
        for p, s in zip(patients, screenings, strict=True)
    )
    sessions, appointments, signer = [], [], []
    numbers: dict[int, int] = {}
    for d in range(DAYS):
        day = start + dt.timedelta(days=d)
        for k in range(SESSIONS_PER_DAY):
            plan = plans[rng.randrange(PATIENTS)]
            at = clinicday.aware(day, dt.time(9 + k % 9, (k * 7) % 60), clinic, strict=False)
            who = rng.randrange(STAFF)
            numbers[plan.pk] = numbers.get(plan.pk, 0) + 1
            sessions.append(
                TreatmentSession(
                    plan=plan,
                    patient_id=plan.patient_id,
                    number=numbers[plan.pk],
                    protocol="face-mesolift",
                    started_at=at,
                    status="open",  # signed below, once its points are in (sealed after)
                )
            )
            signer.append(staff[who])
            appointments.append(
                Appointment(
                    clinic=clinic,
                    patient_id=plan.patient_id,
                    protocol="face-mesolift",
                    practitioner=practitioners[who],
                    room=room,
                    start=at,
                    end=at + dt.timedelta(minutes=45),
                    status="no_show" if rng.random() < 0.06 else "done",
                )
            )
    sessions = TreatmentSession.objects.bulk_create(sessions, batch_size=2000)
    Appointment.objects.bulk_create(appointments, batch_size=2000)
    SessionPoint.objects.bulk_create(
        (
            SessionPoint(
                session=s,
                view="front",
                x=50,
                y=20,
                zone="forehead",
                depth_mm=Decimal("1.0"),
                technique="papules",
                volume_ml=Decimal("0.050"),
                lot=rng.choice(lots),
            )
            for s in sessions
            for _ in range(POINTS)
        ),
        batch_size=5000,
    )
    by_signer: dict = {}
    for s, who in zip(sessions, signer, strict=True):
        s.status, s.signed_at, s.signed_by = "signed", s.started_at + dt.timedelta(minutes=40), who
        by_signer.setdefault(who, []).append(s.pk)
    for who, pks in by_signer.items():
        TreatmentSession.objects.filter(pk__in=pks).update(
            status="signed", signed_at=F("started_at") + dt.timedelta(minutes=40), signed_by=who
        )
    _photos(rng, clinic, sessions, staff[1])
    Payment.objects.bulk_create(
        (
            Payment(
                clinic=clinic,
                patient_id=s.patient_id,
                kind="payment",
                method=rng.choice(["cash", "card", "transfer"]),
                amount=150000,
                currency="TRY",
                practitioner=s.signed_by,
                taken_at=s.signed_at,
            )
            for s in sessions
        ),
        batch_size=5000,
    )
    events = AdverseEvent.objects.bulk_create(
        AdverseEvent(
            clinic=clinic,
            patient_id=s.patient_id,
            session=s,
            protocol="face-mesolift",
            source="staff",
            reported_at=s.signed_at + dt.timedelta(days=1),
            severity="mild",
            level="expected",
            hours_since_session=24.0,
            triage={},
        )
        for s in rng.sample(sessions, len(sessions) // 50)
    )
    through = AdverseEvent.lots.through
    through.objects.bulk_create(through(adverseevent=e, lot=rng.choice(lots)) for e in events)
    GaisScore.objects.bulk_create(
        GaisScore(
            patient_id=s.patient_id,
            session=s,
            rater="practitioner",
            score=rng.randint(1, 4),
            rated_on=clinicday.local_date(s.signed_at, clinic),
        )
        for s in rng.sample(sessions, len(sessions) // 8)
    )
    del timezone
    from django.db import connection

    if connection.vendor == "postgresql":  # as autovacuum would after a year of use
        with connection.cursor() as c:
            c.execute("ANALYZE")
    return clinic, admin, staff[1], today, len(sessions)


def _best_ms(fn, repeat=5) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best * 1000


def run() -> list[Result]:
    connection, old, tmp = _setup_django()
    try:
        from django.conf import settings
        from django.test import Client
        from django.urls import reverse

        from mesoclinic.treatments.models import TreatmentSession

        settings.ALLOWED_HOSTS = ["*"]
        t0 = time.perf_counter()
        clinic, owner, physician, today, n = _seed(random.Random(17))
        seed_s = time.perf_counter() - t0
        year = {"start": (today - dt.timedelta(days=364)).isoformat(), "end": today.isoformat()}
        client = Client()
        client.force_login(owner)
        doc = Client()
        doc.force_login(physician)
        vendor = connection.vendor

        def baseline():
            list(
                TreatmentSession.objects.filter(
                    status="signed", patient__clinic=clinic
                ).values_list("id", "signed_at", "signed_by")
            )

        base = _best_ms(baseline)
        pages = [
            ("dashboard, 12 weeks", client, reverse("dashboard:dashboard"), {}),
            ("dashboard, a whole year", client, reverse("dashboard:dashboard"), year),
            (
                "dashboard, a year, one practitioner",
                client,
                reverse("dashboard:dashboard"),
                {**year, "practitioner": str(physician.code)},
            ),
            ("physician's home", doc, reverse("dashboard:home"), {}),
            (
                "list behind a week's sessions",
                doc,
                reverse("dashboard:sessions"),
                {"start": (today - dt.timedelta(days=6)).isoformat(), "end": today.isoformat()},
            ),
            (
                "list behind a week's payments",
                client,
                reverse("dashboard:payments"),
                {"start": (today - dt.timedelta(days=6)).isoformat(), "end": today.isoformat()},
            ),
            ("daily close", client, reverse("billing:close"), {}),
        ]
        results = []
        for name, c, url, query in pages:
            status = c.get(url, query).status_code
            assert status == 200, (name, status)
            ms = _best_ms(lambda c=c, url=url, query=query: c.get(url, query))
            results.append(
                Result(
                    f"{name} ({vendor}, {n} sessions, seeded in {seed_s:.0f} s)",
                    round(ms, 1),
                    "ms",
                    "raw read of the year's signed sessions",
                    round(base, 1),
                    f"< {GOAL_MS} ms",
                    ms < GOAL_MS,
                )
            )
        return results
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)
        if tmp:
            import os

            os.unlink(tmp)
