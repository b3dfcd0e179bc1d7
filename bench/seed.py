"""`python -m bench seed --patients N`: a clinic chain at scale, for the load benchmark.

Writes into the configured database (DATABASE_URL; use a database of its own). Clinics,
staff, practitioners, rooms, products and lots go through the project's actions; the bulk
(patients, medical histories, years of appointments, screenings, plans with signed
sessions and injection points, photo metadata, side effects, audit rows) through the
models' bulk_create, in batches, with progress on the terminal. Clinic 1 is the busy one:
40 practitioners and 667 appointments today (the day view of issue 18).

    python -m bench seed --patients 10000 [--clinics 3] [--years 2] [--audit-per-patient 20]

It prints the chain's name; `python -m bench load` finds the latest chain by itself.
Staff passwords are tests.support.personas.PASSWORD (a benchmark database only).
"""

import argparse
import datetime as dt
import math
import os
import random
import sys
import time

from bench.seed_clinical import clinical
from bench.seed_rows import bulk as _bulk

GIVEN = [
    "Ayşe",
    "Mehmet",
    "Zeynep",
    "Emre",
    "Elif",
    "Can",
    "Gökçe",
    "Barış",
    "Şule",
    "İlker",
    "Özge",
    "Çağrı",
    "Anna",
    "John",
    "Marie",
    "Luca",
]
FAMILY = [
    "Yılmaz",
    "Kaya",
    "Demir",
    "Şahin",
    "Çelik",
    "Öztürk",
    "Aydın",
    "Arslan",
    "Doğan",
    "Kılıç",
    "Smith",
    "Müller",
    "Rossi",
    "García",
]
DAY_VIEW = 667  # appointments on the busy clinic's day view today
SLOT_MINUTES = 30


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mesoclinic.settings")
    import django

    django.setup()
    from django.conf import settings

    # staff passwords keep the project's hashers: `bench load` signs in through the server
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    settings.SMS_BACKEND = "mesoclinic.outbox.sms.LocmemBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _clinic(prefix: str, i: int, busy: bool, count: int):
    """A clinic with its staff, practitioners, rooms, a product and a lot: through actions."""
    from mesoclinic.accounts.models import Clinic
    from mesoclinic.engine.knowledge import load
    from mesoclinic.lib import clinicday
    from mesoclinic.scheduling import resources
    from tests.support import personas
    from tests.support.products import make_lot, make_product

    clinic = Clinic.objects.create(name=f"{prefix} clinic {i}")
    admin = personas.actor(personas.make_user(f"{prefix}-c{i}-admin", clinic, "clinic_admin"))
    staff = {
        role: personas.make_user(f"{prefix}-c{i}-{role}", clinic, role)
        for role in ("physician", "nurse", "front_desk")
    }
    every = sorted(load().protocols)
    resources.set_opening_hours(admin, "mon-sun 08:00-20:00")
    practitioners = [
        resources.save_practitioner(
            admin,
            personas.make_user(f"{prefix}-c{i}-doc{j}", clinic, "physician" if j % 2 else "nurse"),
            protocols=every,
            hours="mon-sun 09:00-18:00",
        )
        for j in range(count)
    ]
    rooms = [resources.save_room(admin, name=f"Room {j}", protocols=every) for j in range(count)]
    nurse = personas.actor(staff["nurse"])
    product = make_product(nurse, name=f"Booster {i}", patch_test_reading_minutes=None)
    lot = make_lot(
        nurse,
        product,
        f"{prefix}-L{i}",
        expiry=clinicday.today(clinic) + dt.timedelta(days=400),
        quantity="100000",
    )
    return clinic, staff, practitioners, rooms, product, lot


def _patients(clinic, n: int, rng: random.Random, label: str):
    from mesoclinic.engine.knowledge import normalize
    from mesoclinic.patients.models import Patient, digits

    def rows():
        for _ in range(n):
            given, family = rng.choice(GIVEN), rng.choice(FAMILY)
            given = f"{given} {rng.choice(GIVEN)}" if rng.random() < 0.2 else given
            family = f"{family}{rng.randint(1, 999)}" if rng.random() < 0.5 else family
            phone = f"+90 5{rng.randint(10, 59)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
            yield Patient(
                clinic=clinic,
                given_name=given,
                family_name=family,
                birth_date=dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 20000)),
                sex=rng.choice(["female", "female", "female", "male"]),
                phone=phone,
                search_name=normalize(f"{given} {family}"),  # as Patient.save() does
                phone_digits=digits(phone),
            )

    return _bulk(Patient, rows(), f"{label} patients", n)


def _intakes(patients, user, rng, label):
    from django.db.models import OuterRef, Subquery

    from mesoclinic.demo.answers import HEALTHY_ANSWERS
    from mesoclinic.patients.models import IntakeVersion, Patient

    chosen = [p for p in patients if rng.random() < 0.9]
    _bulk(
        IntakeVersion,
        (
            IntakeVersion(
                patient=p,
                number=1,
                answers={**HEALTHY_ANSWERS, "birth_date": p.birth_date.isoformat()},
                fitzpatrick=rng.choice(["I", "II", "III", "IV"]),
                created_by=user,
            )
            for p in chosen
        ),
        f"{label} medical histories",
        len(chosen),
    )
    ids = [p.pk for p in chosen]
    first = IntakeVersion.objects.filter(patient=OuterRef("pk")).order_by("number").values("pk")
    for i in range(0, len(ids), 20000):
        Patient.objects.filter(pk__in=ids[i : i + 20000]).update(current_intake=Subquery(first[:1]))
    return {p.pk for p in chosen}


def _appointments(clinic, patients, practitioners, rooms, user, years, busy, rng, label):
    from mesoclinic.lib import clinicday
    from mesoclinic.scheduling.models import Appointment, Status

    today = clinicday.today(clinic)
    zone = clinicday.zone(clinic)
    slots = [(h, m) for h in range(9, 18) for m in (0, 30)]
    per_patient = max(1, round(3 * years))  # a visit about every four months

    def at(day, slot):
        h, m = slot
        return dt.datetime.combine(day, dt.time(h, m), tzinfo=zone)

    def make(patient, day, slot, k):
        start = at(day, slot)
        past = day < today
        status = (
            rng.choice([Status.DONE] * 8 + [Status.NO_SHOW, Status.CANCELLED])
            if past
            else Status.BOOKED
        )
        return Appointment(
            clinic=clinic,
            patient=patient,
            protocol="face-mesolift",
            practitioner=practitioners[k],
            room=rooms[k],
            start=start,
            end=start + dt.timedelta(minutes=SLOT_MINUTES),
            status=status,
            created_by=user,
        )

    def rows():
        # each (day, slot, practitioner/room) at most once: PostgreSQL's exclusion
        # constraints refuse overlapping appointments of one practitioner or room
        used: dict[dt.date, int] = {}
        capacity = len(slots) * len(practitioners)
        if busy:  # today's day view: every practitioner, every slot, until 667
            used[today] = DAY_VIEW
            for n in range(DAY_VIEW):
                col, slot = divmod(n, len(slots))
                yield make(patients[n % len(patients)], today, slots[slot], col)
        span = int(365 * years)
        for p in patients:
            for _ in range(per_patient):
                for _try in range(50):
                    day = today + dt.timedelta(days=rng.randint(-span, 60))
                    if used.get(day, 0) < capacity:
                        break
                else:
                    continue  # the calendar is full: one visit fewer
                n = used.get(day, 0)
                used[day] = n + 1
                col, slot = divmod(n, len(slots))
                yield make(p, day, slots[slot], col)

    total = len(patients) * per_patient + (DAY_VIEW if busy else 0)
    _bulk(Appointment, rows(), f"{label} appointments", total)


def _audit(clinic, patients, staff, per_patient, years, rng, label):
    from django.utils import timezone

    from mesoclinic.audit.models import AuditEvent

    users = list(staff.values())
    now = timezone.now()
    span = int(365 * 24 * 3600 * years)

    def rows():
        for p in patients:
            for _ in range(per_patient):
                user = rng.choice(users)
                yield AuditEvent(
                    at=now - dt.timedelta(seconds=rng.randint(0, span)),
                    clinic=clinic,
                    user=user,
                    username=user.username,
                    role=user.membership.role,
                    action=rng.choice(["view", "view", "view", "search", "update"]),
                    object_type="Patient",
                    object_code=str(p.code),
                    patient_code=p.code,
                    summary="seeded",
                    ip="127.0.0.1",
                )

    _bulk(AuditEvent, rows(), f"{label} audit rows", per_patient * len(patients))


def seed(patients: int, clinics: int, years: float, audit_per_patient: int, rng_seed: int) -> str:
    from django.db import connection

    rng = random.Random(rng_seed)
    prefix = f"chain{int(time.time())}"
    started = time.perf_counter()
    print(
        f"Seeding {prefix}: {patients:,} patients in {clinics} clinics, {years:g} years, "
        f"on {connection.vendor} ({connection.settings_dict['NAME']})",
        file=sys.stderr,
    )
    share = [patients // clinics + (1 if i < patients % clinics else 0) for i in range(clinics)]
    for i, n in enumerate(share, start=1):
        label = f"clinic {i}/{clinics}:"
        # enough practitioners (and rooms) for the visits at under half of the capacity
        count = max(40 if i == 1 else 6, math.ceil(2 * n * 3 * years / (18 * 425 * years)))
        clinic, staff, practitioners, rooms, product, lot = _clinic(prefix, i, i == 1, count)
        made = _patients(clinic, n, rng, label)
        intake_of = _intakes(made, staff["nurse"], rng, label)
        from mesoclinic.patients.models import Patient

        made = list(Patient.objects.filter(clinic=clinic).order_by("pk"))
        desk = staff["front_desk"]
        _appointments(clinic, made, practitioners, rooms, desk, years, i == 1, rng, label)
        clinical(clinic, made, intake_of, staff, lot, product, rng, label)
        _audit(clinic, made, staff, audit_per_patient, years, rng, label)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    print(f"Done in {time.perf_counter() - started:,.0f} s: {prefix}", file=sys.stderr)
    return prefix


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench seed", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--patients", type=int, required=True, help="e.g. 10000, 100000, 1000000")
    parser.add_argument("--clinics", type=int, default=0, help="default: 3, or one per 50,000")
    parser.add_argument("--years", type=float, default=2.0, help="of appointments and audit")
    parser.add_argument("--audit-per-patient", type=int, default=20)
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args(argv)
    if args.patients < 1 or args.years <= 0 or args.audit_per_patient < 0:
        parser.error("--patients must be at least 1, --years above 0, --audit-per-patient >= 0")
    clinics = args.clinics or max(3, min(20, args.patients // 50_000))
    if clinics > args.patients:
        parser.error("more clinics than patients")
    _setup_django()
    print(seed(args.patients, clinics, args.years, args.audit_per_patient, args.seed))
    return 0
