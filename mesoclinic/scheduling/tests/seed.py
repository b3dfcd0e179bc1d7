"""Run inside a worker-test subprocess (after django.setup()): build a clinic and book."""

import datetime as dt
import json
import threading

from django.db import connection
from django.utils import timezone

from mesoclinic.accounts.models import Clinic, User
from mesoclinic.lib.clinicday import zone as clinic_zone
from mesoclinic.scheduling import actions, resources
from tests.support import personas


def _clinic():
    clinic = Clinic.objects.create(name="Worker Clinic")
    admin = personas.actor(personas.make_user("adam", clinic, "clinic_admin"))
    nurse = personas.make_user("nora", clinic, "nurse")
    desk = personas.actor(personas.make_user("frank", clinic, "front_desk"))
    resources.set_opening_hours(admin, "mon-sun 00:00-23:45")
    nora = resources.save_practitioner(
        admin, nurse, protocols=["face-mesolift"], hours="mon-sun 00:00-23:45"
    )
    room = resources.save_room(admin, name="Room 1", protocols=["face-mesolift"])
    return clinic, desk, nora, room


def _tomorrow(clinic, hh: int, mm: int = 0) -> dt.datetime:
    zone = clinic_zone(clinic)
    day = timezone.localdate(timezone=zone) + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hh, mm), tzinfo=zone)


def reminders(n: int) -> None:
    """n patients reachable by SMS only, booked tomorrow: each gets its preparation
    message at once (the protocol's instructions begin 2 weeks ahead)."""
    clinic, desk, nora, room = _clinic()
    for i in range(n):
        patient = personas.make_patient(desk, given=f"P{i}", phone=f"+90 555 000 {i:04d}")
        actions.book_appointment(
            desk,
            patient,
            protocol="face-mesolift",
            start=_tomorrow(clinic, 9) + dt.timedelta(minutes=30 * i),
            practitioner=nora,
            room=room,
        )


def invitations(n: int) -> None:
    """n patients reachable by e-mail only, invited to the portal: n e-mails due now."""
    from mesoclinic.portal.actions import invite_patient

    desk = personas.actor(User.objects.get(username="frank"))
    for i in range(n):
        patient = personas.make_patient(desk, given=f"E{i}", email=f"e{i}@example.org")
        invite_patient(
            desk, patient, link_for=lambda s: f"http://clinic.test/portal/invitation/{s}"
        )


def race(n: int) -> None:
    """n threads book n different patients into the same slot at the same moment."""
    clinic, desk, nora, room = _clinic()
    patients = [personas.make_patient(desk, given=f"R{i}") for i in range(n)]
    start = _tomorrow(clinic, 10)
    barrier = threading.Barrier(n)
    outcomes = [None] * n

    def book(i):
        try:
            barrier.wait()
            actions.book_appointment(
                desk,
                patients[i],
                protocol="face-mesolift",
                start=start,
                practitioner=nora,
                room=room,
            )
            outcomes[i] = "ok"
        except actions.SlotTaken:
            outcomes[i] = "taken"
        except Exception as exc:  # noqa: BLE001 - reported to the test
            outcomes[i] = f"error: {type(exc).__name__}: {exc}"
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    print(json.dumps(outcomes))
