"""The demo clinic's past and coming weeks: patients treated on earlier dates (signed
sessions with their aftercare and answered check-ins) and a calendar full this week.

The application's rules only accept the present: a screening is for today or later, a
session starts now, a check-in is answered once due. So the past is recorded *as of a past
date*: the clock of this process is moved (time-machine) to that date while the same
actions run, and every rule, audit record and message sees that date. This is the demo
loader's alone: it runs in the `mesoclinic demo` command, before any server starts, and no
view, URL or task can reach it."""

import contextlib
import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from mesoclinic.consent.actions import sign_consent
from mesoclinic.consent.versions import current_template
from mesoclinic.followup.actions import answer_checkin
from mesoclinic.followup.models import CheckIn
from mesoclinic.lib import clinicday
from mesoclinic.patchtests.actions import read_patch_test, record_patch_test
from mesoclinic.scheduling.actions import book_appointment
from mesoclinic.scheduling.models import Practitioner, Room
from mesoclinic.screening.actions import screen_patient
from mesoclinic.treatments import actions as treatments

HISTORY_PATIENTS = 4  # treated for four weeks: sessions 1 and 2 done, session 3 due this week
WEEKS_AGO = 4
COMPLETED_SESSIONS = 4  # the first history patient's whole series, 14 days apart
POINTS = [  # stage, zone, technique, depth, x, y (the front diagram): a basic face mesolift
    (1, "forehead", "papules", "1.0", 50, 22),
    (1, "cheeks", "epidermal-nappage", "0.5", 30, 66),
    (1, "cheeks", "epidermal-nappage", "0.5", 70, 66),
    (2, "temples", "papules", "2.0", 18, 32),
    (2, "jawline", "point-by-point", "2.0", 26, 96),
]
BOOKING_HOURS = [9, 10, 11, 12, 14, 15, 16, 17]


@contextlib.contextmanager
def as_of(moment: dt.datetime):
    """Record as of `moment`: this process's clock reads `moment` (and runs on) inside."""
    try:
        import time_machine  # a development dependency, as the demo is
    except ImportError as exc:  # pragma: no cover - `make run` installs .[dev]
        raise RuntimeError(
            "the demo's history needs time-machine: pip install -e '.[dev]'"
        ) from exc

    with time_machine.travel(moment, tick=True):
        yield


def add_history(demo, candidates, out) -> list:
    """Treat `candidates` (patients with a medical history and no screening) over the past
    weeks through the real actions; returns their plans (session 3 is due this week)."""
    plans = []
    today = demo.today
    first_day = today - dt.timedelta(weeks=WEEKS_AGO)
    booster = demo.products["booster"]
    lot = demo.lots["HB-2503"]  # received before the first of these sessions
    for i, patient in enumerate(candidates[:HISTORY_PATIENTS]):
        # the first of them began eight weeks ago and finished the four-session series
        series = COMPLETED_SESSIONS if i == 0 else 2
        day = first_day + dt.timedelta(days=i % 3) - dt.timedelta(weeks=4 if i == 0 else 0)
        with as_of(demo.at(day, 9 + i, 0)):
            screening = screen_patient(
                demo.nurse, patient, "face-mesolift", day, [booster.as_engine_product()]
            )
            demo.decisions[screening.decision] += 1
            if screening.decision != "eligible":
                out.write(f"  history: {patient.full_name} not treated ({screening.decision})")
                continue
            _patch_test(demo, patient, booster, day)
            sign_consent(
                demo.nurse,
                patient,
                template=current_template("face-mesolift"),
                product_classes=[booster.product_class],
                signer_name=patient.full_name,
                typed_signature=True,
            )
            plan = treatments.create_plan(
                demo.nurse,
                patient,
                screening,
                start_date=day,
                sessions=4,
                products=[booster],
                concerns=["fine lines", "dull skin"],
                zones=sorted({p[1] for p in POINTS}),
            )
        days = [day + dt.timedelta(days=14 * k) for k in range(series)]
        for number, session_day in enumerate(days, start=1):
            start = demo.at(session_day, 10 + i, 0)
            if number >= 2:
                with as_of(start - dt.timedelta(minutes=20)):
                    again = screen_patient(
                        demo.nurse,
                        patient,
                        "face-mesolift",
                        session_day,
                        [booster.as_engine_product()],
                    )  # the gate wants a screening of the session's day
                    demo.decisions[again.decision] += 1
            with as_of(start):
                session = treatments.start_session(demo.nurse, plan)
                for stage, zone, technique, depth, x, y in POINTS:
                    treatments.add_point(
                        demo.nurse,
                        session,
                        {
                            "stage": stage,
                            "view": "front",
                            "x": x,
                            "y": y,
                            "zone": zone,
                            "technique": technique,
                            "depth_mm": depth,
                            "volume_ml": str(Decimal("0.050")),
                            "lot": lot,
                        },
                    )
                treatments.sign_off(demo.nurse, session)  # aftercare sheet and check-ins
            out.write(
                f"  history: {patient.full_name}, session {number} on {session_day.isoformat()}"
            )
            demo.count["sessions"] += 1
            demo.count["signed sessions"] += 1
            demo.count["history sessions"] += 1
            # the first check-in, answered the day after: a usual reaction, or all well
            checkin = CheckIn.objects.filter(session=session).order_by("due_at").first()
            if checkin and checkin.due_at < timezone.now():
                with as_of(checkin.due_at + dt.timedelta(hours=2)):
                    answer_checkin(
                        demo.nurse,
                        checkin,
                        symptoms=["redness"] if (i + number) % 2 else [],
                        severity="mild" if (i + number) % 2 else "",
                    )
                demo.count["answered check-ins"] += 1
        demo.count["plans"] += 1
        plan.refresh_from_db()
        demo.count["completed plans"] += plan.status == "completed"
        if plan.status != "completed":
            plans.append(plan)  # session 3 is booked this week
    return plans


def _patch_test(demo, patient, product, day):
    """A negative patch test, applied and read on the morning of `day`."""
    applied = demo.at(day, 8, 0)
    test = record_patch_test(
        demo.nurse,
        patient,
        substance=product.name,
        product_class=product.product_class,
        site="inner_forearm",
        applied_at=applied,
        reading_minutes=product.patch_test_reading_minutes,
    )
    read_patch_test(
        demo.nurse,
        test,
        result="negative",
        read_at=applied + dt.timedelta(minutes=product.patch_test_reading_minutes + 5),
    )


def fill_this_week_for(clinic, desk, plans, patients, today, out) -> int:
    """Book session 3 of the history plans in its window this week, and consultations for
    registered patients on the other free slots of the working days ahead."""
    practitioners = list(Practitioner.objects.filter(clinic=clinic).order_by("id"))
    rooms = list(Room.objects.filter(clinic=clinic).order_by("id"))[:2]
    days = [
        today + dt.timedelta(days=d)
        for d in range(1, 8)
        if (today + dt.timedelta(days=d)).weekday() < 5
    ]
    slots = [(day, hour) for day in days for hour in BOOKING_HOURS]
    booked = 0
    wanted = [(p.patient, "face-mesolift", p, 3) for p in plans]
    wanted += [(patient, "face-mesolift", None, None) for patient in patients]
    for n, (patient, protocol, plan, number) in enumerate(wanted):
        for _ in range(len(slots)):
            if not slots:
                break
            day, hour = slots.pop((n * 5) % len(slots))
            start = clinicday.aware(day, dt.time(hour, 0), clinic, strict=False)
            try:
                book_appointment(
                    desk,
                    patient,
                    protocol=protocol,
                    start=start,
                    practitioner=practitioners[n % len(practitioners)],
                    room=rooms[n % len(rooms)],
                    plan=plan,
                    session_number=number,
                )
            except ValidationError:
                continue  # outside the plan's window or a clash: try the next slot
            booked += 1
            break
    out.write(f"Booked {booked} appointments over the next working days.")
    return booked
