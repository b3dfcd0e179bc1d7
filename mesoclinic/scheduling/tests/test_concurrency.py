"""No double booking under real concurrency: exactly one of 20 simultaneous bookings of
the same slot succeeds. On PostgreSQL the exclusion constraints decide; on SQLite the
IMMEDIATE booking transaction serialises the check."""

import json
import threading

import pytest
from django.db import IntegrityError, close_old_connections, connection, transaction

from mesoclinic.scheduling import actions
from mesoclinic.scheduling.models import Appointment, Status
from mesoclinic.scheduling.tests.conftest import TODAY, at
from mesoclinic.scheduling.tests.harness import Scratch
from tests.support import personas

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the exclusion constraints and in-process concurrent writers need PostgreSQL; "
    "pytest's SQLite test database is in memory (SQLite is covered by "
    "test_twenty_threads_in_a_fresh_database_book_the_slot_once)",
)
N = 20


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_bookings_of_one_slot_give_exactly_one(clinic_setup, frank, alice):
    people = [personas.make_patient(personas.actor(alice), given=f"P{i}") for i in range(N)]
    barrier = threading.Barrier(N)
    results: list = [None] * N

    def book(i):
        try:
            barrier.wait()
            actions.book_appointment(
                personas.actor(frank),
                people[i],
                protocol="face-mesolift",
                start=at(TODAY, "11:00"),
                practitioner=clinic_setup["nora"],
                room=clinic_setup["room2"],
            )
            results[i] = "ok"
        except actions.SlotTaken:
            results[i] = "taken"
        except Exception as exc:  # noqa: BLE001 - shown by the assertion
            results[i] = repr(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=book, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert sorted(results) == ["ok"] + ["taken"] * (N - 1), results
    assert Appointment.objects.filter(status=Status.BOOKED).count() == 1


@needs_postgres
@pytest.mark.django_db
def test_the_database_itself_refuses_overlaps(clinic_setup, patient, frank, alice):
    """Even a write that skips the actions' check cannot double-book a practitioner or a
    room; a cancelled appointment holds no slot, and back-to-back sessions are fine."""
    first = actions.book_appointment(
        personas.actor(frank),
        patient,
        protocol="face-mesolift",
        start=at(TODAY, "10:00"),
        practitioner=clinic_setup["nora"],
        room=clinic_setup["room2"],
    )
    other = personas.make_patient(personas.actor(alice), given="Other")
    row = dict(
        clinic=first.clinic,
        patient=other,
        protocol="face-mesolift",
        start=at(TODAY, "10:10"),
        end=at(TODAY, "10:25"),
    )
    for practitioner, room in (("nora", "room1"), ("alice", "room2")):
        with pytest.raises(IntegrityError, match="appt_no_overlap"), transaction.atomic():
            Appointment.objects.create(
                **row, practitioner=clinic_setup[practitioner], room=clinic_setup[room]
            )
    Appointment.objects.create(
        **row, practitioner=clinic_setup["nora"], room=clinic_setup["room2"], status="cancelled"
    )
    Appointment.objects.create(
        **{**row, "start": first.end, "end": at(TODAY, "10:30")},
        practitioner=clinic_setup["nora"],
        room=clinic_setup["room2"],
    )


@pytest.mark.slow
@pytest.mark.django_db
def test_twenty_threads_in_a_fresh_database_book_the_slot_once(tmp_path):
    """20 threads, each with its own connection, in a subprocess on a throw-away database
    of the run's kind (a SQLite file here: the serialised IMMEDIATE transactions; a fresh
    PostgreSQL database there: the constraints)."""
    scratch = Scratch(tmp_path)
    try:
        proc = scratch.python(
            "-c",
            "import django; django.setup(); "
            f"from mesoclinic.scheduling.tests import seed; seed.race({N})",
        )
    finally:
        scratch.close()
    outcomes = json.loads(proc.stdout.strip().splitlines()[-1])
    assert sorted(outcomes) == ["ok"] + ["taken"] * (N - 1), outcomes
