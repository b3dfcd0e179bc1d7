"""The demo clinic's content, built through the same actions the application uses."""

import contextlib
import datetime as dt
import random

from django.utils.translation import gettext as _

from mesoclinic.accounts.actor import Actor
from mesoclinic.accounts.models import Clinic, Membership, User
from mesoclinic.engine.knowledge import load
from mesoclinic.lib import clinicday
from mesoclinic.patients.actions import record_intake, register_patient
from mesoclinic.scheduling.resources import save_practitioner, save_room, set_opening_hours

from .answers import HEALTHY_ANSWERS
from .clinical import add_clinical
from .history import HISTORY_PATIENTS, WEEKS_AGO, as_of, fill_this_week_for

DEMO_CLINIC = "Demo Mesotherapy Clinic"
STAFF = [
    ("dr.demir", "demo-physician-2026", "physician", ("Elif", "Demir")),
    ("nurse.kaya", "demo-nurse-2026", "nurse", ("Zeynep", "Kaya")),
    ("desk.aydin", "demo-desk-2026", "front_desk", ("Can", "Aydın")),
    ("admin.sahin", "demo-admin-2026", "clinic_admin", ("Deniz", "Şahin")),
]
GIVEN = [
    "Ayşe",
    "Fatma",
    "Elif",
    "Zeynep",
    "Merve",
    "Selin",
    "Ece",
    "Derya",
    "Büşra",
    "Gizem",
    "Hande",
    "Seda",
    "Emma",
    "Olivia",
    "Sophie",
    "Mehmet",
    "Mustafa",
    "Can",
    "Emre",
    "Burak",
    "James",
    "Lucas",
    "Deniz",
    "İpek",
]
FAMILY = [
    "Yılmaz",
    "Kaya",
    "Demir",
    "Şahin",
    "Çelik",
    "Yıldız",
    "Yıldırım",
    "Öztürk",
    "Aydın",
    "Özdemir",
    "Arslan",
    "Doğan",
    "Kılıç",
    "Aslan",
    "Çetin",
    "Koç",
    "Kurt",
    "Özkan",
    "Şimşek",
    "Smith",
    "Brown",
    "Wilson",
    "Müller",
]


def _user(username, password, clinic, role, first, last) -> User:
    user = User.objects.create_user(
        username=username, password=password, first_name=first, last_name=last
    )
    Membership.objects.create(user=user, clinic=clinic, role=role)
    return user


def build(count: int, out) -> None:
    rng = random.Random(2026)
    clinic = Clinic.objects.create(
        name=DEMO_CLINIC, on_call_email="oncall@demo-clinic.example", phone="+90 212 555 01 01"
    )
    users = {role: _user(u, p, clinic, role, *name) for u, p, role, name in STAFF}
    other = Clinic.objects.create(name="Another Clinic")
    _user("dr.other", "demo-other-2026", other, "physician", "Ozan", "Başka")
    _schedule(
        Actor(users["clinic_admin"], clinic, "clinic_admin", "127.0.0.1", "demo"),
        [users["physician"], users["nurse"]],
    )
    nurse = Actor(users["nurse"], clinic, "nurse", "127.0.0.1", "demo")
    desk = Actor(users["front_desk"], clinic, "front_desk", "127.0.0.1", "demo")
    today = clinicday.today(clinic)
    stages = []
    # the first stage-1 patients came a few weeks ago (history.py records their past)
    past = {i: n for n, i in enumerate([i for i in range(count) if i % 5 == 1][:HISTORY_PATIENTS])}
    for i in range(count):
        with contextlib.ExitStack() as when:
            if i in past:  # registered and asked as of that day
                day = today - dt.timedelta(weeks=WEEKS_AGO, days=1 + past[i] % 3)
                when.enter_context(
                    as_of(clinicday.aware(day, dt.time(8, 30), clinic, strict=False))
                )
            born = dt.date(rng.randint(1960, 2004), rng.randint(1, 12), rng.randint(1, 28))
            patient = register_patient(
                desk,
                {
                    "given_name": rng.choice(GIVEN),
                    "family_name": rng.choice(FAMILY),
                    "birth_date": born,
                    "sex": rng.choice(["female", "female", "female", "male"]),
                    "phone": f"+90 5{rng.randint(30, 55)} {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                    "language": "en" if i % 3 == 0 else "tr",  # issue 13: each their own
                },
            )
            stage = i % 5
            if stage >= 1:  # everyone past registration has a medical history
                answers = {"birth_date": born.isoformat(), **HEALTHY_ANSWERS}
                if i % 7 == 0:
                    answers["allergies"] = ["lidocaine"]
                if i % 11 == 0:
                    answers["last_aspirin_or_nsaid"] = (today - dt.timedelta(days=3)).isoformat()
                if i % 13 == 0:
                    answers["pregnant"] = True
                if i % 9 == 0:
                    answers["keloid_tendency"] = True
                if i % 17 == 0:
                    del answers["acute_illness"]  # one question left unanswered
                record_intake(
                    nurse,
                    patient,
                    answers=answers,
                    fitzpatrick=rng.choice(["II", "III", "IV"]),
                    medicines=[{"name": "Levothyroxine", "prescribed": True}] if i % 6 == 0 else [],
                )
        stages.append((patient, stage))
    out.write(f"Registered {count} patients; recording their care...")
    with clinicday.activated(clinic):  # texts the later stages write: on the clinic's clock
        history = [stages[i][0] for i in past]
        # screenings, patch tests, consents, plans, sessions; the past weeks of `history`
        plans = add_clinical(stages, users, clinic, today, out, history=history)
        waiting = [p for p, stage in stages if stage in (0, 2)]
        fill_this_week_for(clinic, desk, plans, waiting, today, out)
    out.write(f"Created {count} demo patients.")


def _schedule(actor: Actor, practitioners: list) -> None:
    """A usable schedule: open Mon-Sat, every clinical user treating every protocol on
    weekdays, three rooms."""
    every = sorted(load().protocols)
    set_opening_hours(actor, "mon-fri 09:00-19:00\nsat 10:00-15:00")
    for user in practitioners:
        save_practitioner(actor, user, protocols=every, hours="mon-fri 09:00-18:00")
    save_room(actor, name=_("Treatment room 1"), protocols=every)
    save_room(actor, name=_("Treatment room 2"), protocols=every)
    save_room(actor, name=_("Small room"), protocols=["face-mesolift", "eye-area", "hands"])
