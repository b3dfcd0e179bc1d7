"""Steps of a patient's journey for follow-up, portal and browser tests, through the real
actions: a plan ready to treat, a signed session, a portal user, a schedule, a booking."""

import datetime as dt

from tests.support import personas
from tests.support.treatments import clear_for_treatment, point


def ready_plan(user, patient, product, start: dt.date, protocol: str = "face-mesolift"):
    """Intake, screening, consent and patch test done; a 4-session plan with `product`."""
    from mesoclinic.treatments.actions import create_plan

    if patient.current_intake_id is None:
        personas.make_intake(personas.actor(user), patient)
    screening = clear_for_treatment(user, patient, [product], protocol)
    return create_plan(
        personas.actor(user),
        patient,
        screening,
        start_date=start,
        sessions=4,
        products=[product],
        concerns=["fine lines"],
        zones=["forehead", "cheeks"],
    )


def signed_session(user, plan, lot):
    """Start the plan's next session, chart one point with `lot`, sign it off, and store its
    aftercare (a no-op once treatments.actions.sign_off calls the hook itself)."""
    from mesoclinic.followup.actions import on_session_signed
    from mesoclinic.treatments.actions import add_point, sign_off, start_session

    act = personas.actor(user)
    session = start_session(act, plan)
    add_point(act, session, point(lot))
    session = sign_off(act, session)
    on_session_signed(act, session)
    session.refresh_from_db()
    return session


def portal_user(staff, patient, username: str | None = None):
    """Invite `patient` (as `staff`) and accept the invitation: their portal user."""
    from mesoclinic.portal.actions import accept_invitation, invite_patient

    _invitation, secret = invite_patient(
        personas.actor(staff), patient, link_for=lambda s: f"http://testserver/portal/i/{s}"
    )
    account = accept_invitation(
        secret,
        username=username or f"p-{patient.given_name.lower()}-{patient.pk}",
        password=personas.PASSWORD,
    )
    return account.user


def scheduling_setup(admin):
    """Opening hours every day 08:00-20:00, one practitioner (a physician of the clinic, else
    a nurse) and a room, for every protocol."""
    from mesoclinic.accounts.models import Membership
    from mesoclinic.engine.knowledge import load
    from mesoclinic.scheduling import resources

    act = personas.actor(admin)
    every = sorted(load().protocols)
    resources.set_opening_hours(act, "mon-sun 08:00-20:00")
    doctor = (
        Membership.objects.filter(clinic=act.clinic, role__in=["physician", "nurse"])
        .select_related("user")
        .order_by("-role")  # a physician if there is one
        .first()
    )
    practitioner = resources.save_practitioner(
        act, doctor.user, protocols=every, hours="mon-sun 08:00-20:00"
    )
    room = resources.save_room(act, name="Room 1", protocols=every)
    return practitioner, room


def book(front_desk, plan, start: dt.datetime, practitioner, room, number: int = 1):
    from mesoclinic.scheduling.actions import book_appointment

    return book_appointment(
        personas.actor(front_desk),
        plan.patient,
        protocol=plan.protocol,
        start=start,
        practitioner=practitioner,
        room=room,
        plan=plan,
        session_number=number,
    )
