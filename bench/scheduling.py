"""Scheduling at a busy clinic's size: 20 practitioners, 10 rooms, a year of appointments.

- Booking a 6-session face-mesolift series through `actions.book_plan` (search in memory,
  one query per day looked at, insert, messages, audit, commit), against a naive booking
  that asks the database about every candidate slot, measured in the same run.
- The front desk's day view (the busiest day), server time and query count, against the
  raw query that fetches the same day's appointments.

It runs on a throw-away database of the configured kind (a temporary SQLite file, or
test_<name> on PostgreSQL when DATABASE_URL says so), created and dropped here.
"""

import datetime as dt
import os
import random
import statistics
import tempfile
import time

from bench.common import Result

PRACTITIONERS, ROOMS, PATIENTS = 20, 10, 3000
PER_HOUR = 8  # appointments starting each hour of the working day, clinic-wide
HOURS = range(9, 18)
SERIES = 30  # series booked and timed
NAIVE = 3  # naive bookings (slow)


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mesoclinic.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # tasks are enqueued (after the commit) but not run inline: as with the worker
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    settings.SMS_BACKEND = "mesoclinic.outbox.sms.LocmemBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    tmp = None
    test = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        fd, tmp = tempfile.mkstemp(suffix=".sqlite3")
        os.close(fd)
        test["NAME"] = tmp
    else:  # its own database: never another run's test_<name>
        test["NAME"] = f"mesoclinic_bench_{os.getpid()}"
    old = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return connection, old, tmp


def _clinic():
    from mesoclinic.accounts.models import Clinic
    from mesoclinic.engine.knowledge import load
    from mesoclinic.scheduling import resources
    from tests.support import personas

    clinic = Clinic.objects.create(name="Bench Clinic")
    admin = personas.actor(personas.make_user("admin", clinic, "clinic_admin"))
    desk_user = personas.make_user("desk", clinic, "front_desk")
    nurse = personas.actor(personas.make_user("nurse", clinic, "nurse"))
    every = sorted(load().protocols)
    resources.set_opening_hours(admin, "mon-sat 08:00-20:00")
    practitioners = [
        resources.save_practitioner(
            admin,
            personas.make_user(f"doc{i}", clinic, "physician" if i % 2 else "nurse"),
            protocols=every,
            hours="mon-fri 09:00-18:00" if i % 4 else "mon-sat 09:00-18:00",
        )
        for i in range(PRACTITIONERS)
    ]
    rooms = [resources.save_room(admin, name=f"Room {i}", protocols=every) for i in range(ROOMS)]
    return clinic, admin, personas.actor(desk_user), desk_user, nurse, practitioners, rooms


def _year_of_appointments(clinic, practitioners, rooms, today, rng):
    """About 25,000 appointments from six months back to six months ahead: each working
    hour, 8 practitioners in 8 rooms with 8 different patients (no clash anywhere)."""
    from mesoclinic.lib.clinicday import zone as clinic_zone
    from mesoclinic.patients.models import Patient
    from mesoclinic.scheduling.models import Appointment

    Patient.objects.bulk_create(
        Patient(
            clinic=clinic,
            given_name=f"Given{i}",
            family_name=f"Family{i}",
            birth_date=dt.date(1980, 1, 1) + dt.timedelta(days=i),
            email=f"p{i}@example.org",
        )
        for i in range(PATIENTS)
    )
    patients = list(Patient.objects.filter(clinic=clinic).values_list("pk", flat=True))
    zone = clinic_zone(clinic)
    rows = []
    for offset in range(-182, 183):
        day = today + dt.timedelta(days=offset)
        if day.weekday() == 6:
            continue
        for hour in HOURS:
            start = dt.datetime.combine(day, dt.time(hour), tzinfo=zone)
            working = [p for i, p in enumerate(practitioners) if day.weekday() < 5 or i % 4 == 0]
            chosen = rng.sample(working, min(PER_HOUR, len(working)))
            who = rng.sample(patients, len(chosen))
            for p, room, patient in zip(chosen, rooms, who, strict=False):
                rows.append(
                    Appointment(
                        clinic=clinic,
                        patient_id=patient,
                        protocol="face-mesolift",
                        practitioner=p,
                        room=room,
                        start=start,
                        end=start + dt.timedelta(minutes=45),
                        status="done" if offset < 0 else "booked",
                    )
                )
    Appointment.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _plans(nurse, clinic, n, today):
    from mesoclinic.screening.actions import screen_patient
    from mesoclinic.treatments.actions import create_plan
    from tests.support import personas
    from tests.support.products import house_product

    plans = []
    for i in range(n):
        patient = personas.make_patient(
            nurse, given=f"Series{i}", family="Bench", email=f"s{i}@example.org"
        )
        personas.make_intake(nurse, patient)
        screening = screen_patient(nurse, patient, "face-mesolift", today)
        plans.append(
            create_plan(
                nurse,
                patient,
                screening,
                start_date=today,
                sessions=6,
                products=[house_product(nurse)],
                concerns=[],
                zones=[],
            )
        )
    return plans


def _attach_plans(nurse, appointments, today):
    """Give each appointment of the day a plan of its own (intake, screening, plan)."""
    from mesoclinic.screening.actions import screen_patient
    from mesoclinic.treatments.actions import create_plan
    from tests.support import personas
    from tests.support.products import house_product

    for a in appointments:
        personas.make_intake(nurse, a.patient)
        screening = screen_patient(nurse, a.patient, "face-mesolift", today)
        a.plan = create_plan(
            nurse,
            a.patient,
            screening,
            start_date=today,
            sessions=4,
            products=[house_product(nurse)],
            concerns=[],
            zones=[],
        )
        a.session_number = 1
        a.save(update_fields=["plan", "session_number"])


def naive_book(plan, first_date, preferred, minutes=60):
    """The obvious way: for every candidate slot, ask the database whether practitioner,
    room and patient are free. Books nothing; returns the slots it would take."""
    from mesoclinic.lib.clinicday import zone as clinic_zone
    from mesoclinic.scheduling.availability import opening_hours, qualified
    from mesoclinic.scheduling.models import Appointment

    clinic = plan.patient.clinic
    zone = clinic_zone(clinic)
    practitioners, rooms = qualified(clinic, plan.protocol)
    opening = opening_hours(clinic)
    picked, target = [], first_date
    lo, hi = plan.interval_min, plan.interval_max
    earliest, latest = first_date, first_date + dt.timedelta(days=hi - lo)
    for _n in range(plan.sessions_planned):
        found = None
        days = sorted(
            (earliest + dt.timedelta(days=i) for i in range((latest - earliest).days + 1)),
            key=lambda d: (abs((d - target).days), d),
        )
        for day in days:
            times = []
            for a, b in opening.get(day.weekday(), []):
                t = dt.datetime.combine(day, a, tzinfo=zone)
                while t + dt.timedelta(minutes=minutes) <= dt.datetime.combine(day, b, tzinfo=zone):
                    times.append(t)
                    t += dt.timedelta(minutes=15)
            want = dt.datetime.combine(day, preferred, tzinfo=zone)
            for s in sorted(times, key=lambda t: (abs(t - want), t)):
                e = s + dt.timedelta(minutes=minutes)
                live = Appointment.objects.filter(status="booked", start__lt=e, end__gt=s)
                if live.filter(patient=plan.patient).exists():
                    continue
                p = next(
                    (p for p in practitioners if not live.filter(practitioner=p).exists()), None
                )
                r = next((r for r in rooms if not live.filter(room=r).exists()), None)
                if p and r:
                    found = (s, p, r)
                    break
            if found:
                break
        if not found:
            break
        picked.append(found)
        prev = found[0].astimezone(zone).date()
        earliest, target, latest = (
            prev + dt.timedelta(days=lo),
            prev + dt.timedelta(days=plan.interval_default),
            prev + dt.timedelta(days=hi),
        )
    return picked


def run() -> list[Result]:
    connection, old_name, tmp = _setup_django()
    try:
        return _measure(connection)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


def _measure(connection) -> list[Result]:
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from mesoclinic.lib.clinicday import zone as clinic_zone
    from mesoclinic.scheduling import actions
    from mesoclinic.scheduling.models import Appointment

    rng = random.Random(11)
    clinic, _admin, desk, desk_user, nurse, practitioners, rooms = _clinic()
    zone = clinic_zone(clinic)
    today = timezone.localdate(timezone=zone)
    existing = _year_of_appointments(clinic, practitioners, rooms, today, rng)
    plans = _plans(nurse, clinic, SERIES + NAIVE, today)

    times = []
    for plan in plans[:SERIES]:
        first = today + dt.timedelta(days=rng.randrange(1, 60))
        preferred = dt.time(rng.choice(list(HOURS)), rng.choice([0, 15, 30, 45]))
        start = time.perf_counter()
        booked = actions.book_plan(desk, plan, first_date=first, preferred_time=preferred)
        times.append(time.perf_counter() - start)
        assert len(booked) == 6, booked
    naive = []
    for plan in plans[SERIES:]:
        start = time.perf_counter()
        naive_book(plan, today + dt.timedelta(days=7), dt.time(10))
        naive.append(time.perf_counter() - start)

    # the day view on a full day ahead, every appointment part of a plan (so every row has
    # its screening and gate checked), against a light day with a single such appointment
    busiest = today + dt.timedelta(days=(2 if today.weekday() != 4 else 3))
    day_qs = Appointment.objects.filter(
        clinic=clinic,
        start__gte=dt.datetime.combine(busiest, dt.time(0), tzinfo=zone),
        start__lt=dt.datetime.combine(busiest + dt.timedelta(days=1), dt.time(0), tzinfo=zone),
    )
    day_rows = list(day_qs.select_related("patient"))
    _attach_plans(nurse, day_rows, today)
    light = busiest + dt.timedelta(days=300)
    light += dt.timedelta(days=(7 - light.weekday()) % 7)  # a Monday, outside the data
    actions.book_plan(desk, plans[-1], first_date=light, preferred_time=dt.time(11))
    client = Client()
    client.force_login(desk_user)
    url = f"/scheduling/?date={busiest.isoformat()}"
    client.get(url)  # warm: templates, consent versions
    views, queries = [], set()
    for _ in range(15):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            views.append(time.perf_counter() - start)
        assert response.status_code == 200
        queries.add(len(ctx.captured_queries))
    client.get(f"/scheduling/?date={light.isoformat()}")
    with CaptureQueriesContext(connection) as ctx:
        client.get(f"/scheduling/?date={light.isoformat()}")
    light_queries = len(ctx.captured_queries)
    raw = []
    lo = dt.datetime.combine(busiest, dt.time(0), tzinfo=zone)
    for _ in range(15):
        start = time.perf_counter()
        list(
            Appointment.objects.filter(
                clinic=clinic, start__gte=lo, start__lt=lo + dt.timedelta(days=1)
            ).select_related("patient", "practitioner", "room", "plan")
        )
        raw.append(time.perf_counter() - start)

    per_series = statistics.median(times) * 1000
    p90 = sorted(times)[int(len(times) * 0.9) - 1] * 1000
    view_ms = statistics.median(views) * 1000
    fixed = queries == {light_queries}
    label = f"{existing:,} appointments, {connection.vendor}"
    return [
        Result(
            f"book a 6-session series, median ({label})",
            per_series,
            "ms",
            "naive per-slot queries, ms",
            statistics.median(naive) * 1000,
            "<= 50 ms",
            per_series <= 50,
        ),
        Result(
            "book a 6-session series, 90th percentile",
            p90,
            "ms",
            goal="<= 50 ms",
            met=p90 <= 50,
        ),
        Result(
            f"day view, {len(day_rows)} appointments, server time (median of 15)",
            view_ms,
            "ms",
            "raw query of the day's appointments, ms",
            statistics.median(raw) * 1000,
            "<= 50 ms",
            view_ms <= 50,
        ),
        Result(
            f"day view queries ({len(day_rows)} appointments / 1 appointment)",
            max(queries),
            f"queries (1 appointment: {light_queries})",
            goal="a fixed number",
            met=fixed,
        ),
    ]
