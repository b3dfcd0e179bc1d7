"""Named personas and small factories that go through the real actions.

Personas (clinic A unless stated):
- alice: physician. May override a screening review.
- nora: nurse. Charts, screens, records patch tests and consent; cannot override.
- frank: front desk. Demographics and appointments only; no clinical data.
- adam: clinic admin. Staff and audit log; no clinical data.
- charlie: physician in clinic B. Must see nothing of clinic A, anywhere.
"""

import datetime as dt
from typing import Any

from mesoclinic.accounts.actor import Actor
from mesoclinic.accounts.models import Clinic, Membership, User
from mesoclinic.accounts.roles import Role
from mesoclinic.demo.answers import HEALTHY_ANSWERS

PASSWORD = "correct horse battery staple"


def make_user(username: str, clinic: Clinic, role: str, **extra) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, first_name=username.title(), **extra
    )
    Membership.objects.create(user=user, clinic=clinic, role=role)
    return user


def actor(user: User) -> Actor:
    user.refresh_from_db()
    return Actor.for_user(user, "127.0.0.1", "pytest")


def make_patient(act: Actor, given="Ayşe", family="Yılmaz", born=dt.date(1990, 5, 1), **extra):
    from mesoclinic.patients.actions import register_patient

    return register_patient(
        act, {"given_name": given, "family_name": family, "birth_date": born, **extra}
    )


def make_intake(act: Actor, patient, **answers: Any):
    from mesoclinic.patients.actions import record_intake

    full = {"birth_date": patient.birth_date.isoformat(), **HEALTHY_ANSWERS, **answers}
    full = {
        k: v for k, v in full.items() if v is not ...
    }  # pass ... to leave a question unanswered
    return record_intake(act, patient, answers=full)


ROLES = {
    "alice": Role.PHYSICIAN,
    "nora": Role.NURSE,
    "frank": Role.FRONT_DESK,
    "adam": Role.CLINIC_ADMIN,
}
