"""Portal action refusals: an invitation used twice or for a taken name, a consent without
products or signature, a change request for a past appointment or backwards days, and the
front desk's answer to it. Each refusal says why; nothing is written."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mesoclinic.accounts.models import User
from mesoclinic.consent.models import Consent
from mesoclinic.consent.tests.helpers import png_data_url
from mesoclinic.consent.versions import current_template
from mesoclinic.portal import actions
from mesoclinic.portal.models import (
    AppointmentChangeRequest,
    Invitation,
    PortalAccount,
    RequestStatus,
)
from mesoclinic.scheduling.models import Status
from tests.support import journeys, personas


def _invite(staff, patient):
    _invitation, secret = actions.invite_patient(
        personas.actor(staff), patient, link_for=lambda s: f"http://testserver/portal/i/{s}"
    )
    return secret


def test_an_invitation_is_refused_when_used_taken_or_the_name_is_taken(nora, patient, other):
    secret = _invite(nora, patient)
    journeys.portal_user(nora, other, "zeynep")
    with pytest.raises(ValidationError) as err:
        actions.accept_invitation(secret, username="ZEYNEP", password=personas.PASSWORD)
    assert "username" in err.value.message_dict
    actions.accept_invitation(secret, username="ayse", password=personas.PASSWORD)
    with pytest.raises(ValidationError, match="cannot be used any more"):
        actions.accept_invitation(secret, username="ayse2", password=personas.PASSWORD)
    # a second link accepted while the first one was (a race): the guard still holds
    Invitation.objects.filter(patient=patient).update(used_at=None)
    with pytest.raises(ValidationError, match="already have portal access"):
        actions.accept_invitation(secret, username="ayse3", password=personas.PASSWORD)
    assert PortalAccount.objects.filter(patient=patient).count() == 1
    assert not User.objects.filter(username__in=["ayse2", "ayse3"]).exists()


def test_staff_are_not_portal_users(nora, patient):
    with pytest.raises(PermissionDenied):
        actions.own_patient(personas.actor(nora))


def test_a_consent_online_needs_the_products_and_a_drawn_signature(nora, patient, ayse, booster):
    product, _lot = booster
    bare = journeys.ready_plan(nora, patient, product, dt.date(2026, 12, 1))
    consents = Consent.objects.count()  # the one signed by staff while getting ready
    bare.products.set([])  # as if the clinic had not chosen the cocktail yet
    me = personas.actor(ayse)
    sign = dict(
        template=current_template("face-mesolift"), signer_name="Ayşe Yılmaz", language="en"
    )
    with pytest.raises(ValidationError, match="not chosen the products"):
        actions.sign_consent_online(me, bare, signature=png_data_url(), **sign)
    bare.products.set([product])
    with pytest.raises(ValidationError) as err:
        actions.sign_consent_online(me, bare, signature="", **sign)
    assert "signature" in err.value.message_dict
    assert Consent.objects.count() == consents
    assert actions.sign_consent_online(me, bare, signature=png_data_url(), **sign).pk


@pytest.fixture
def booked(nora, frank, adam, plan, session, ayse):
    practitioner, room = journeys.scheduling_setup(adam)
    start = dt.datetime(2026, 12, 20, 9, 0, tzinfo=dt.UTC)
    return journeys.book(frank, plan, start, practitioner, room, number=2)


def test_a_change_request_needs_a_coming_appointment_and_days_in_order(booked, ayse, frank, later):
    me = personas.actor(ayse)
    ask = dict(part_of_day="any", note="")
    with pytest.raises(ValidationError) as err:
        actions.request_change(
            me, booked, earliest=dt.date(2026, 12, 18), latest=dt.date(2026, 12, 17), **ask
        )
    assert "latest" in err.value.message_dict
    req = actions.request_change(
        me, booked, earliest=dt.date(2026, 12, 16), latest=dt.date(2026, 12, 18), **ask
    )
    with pytest.raises(ValidationError, match="already asked"):
        actions.request_change(
            me, booked, earliest=dt.date(2026, 12, 16), latest=dt.date(2026, 12, 18), **ask
        )
    booked.status = Status.CANCELLED
    booked.save(update_fields=["status"])
    with pytest.raises(ValidationError, match="Only a coming appointment"):
        actions.request_change(
            me, booked, earliest=dt.date(2026, 12, 16), latest=dt.date(2026, 12, 18), **ask
        )
    assert AppointmentChangeRequest.objects.filter(pk=req.pk).count() == 1


def test_the_front_desk_answers_a_change_request_once(booked, ayse, frank, charlie):
    req = actions.request_change(
        personas.actor(ayse),
        booked,
        earliest=dt.date(2026, 12, 16),
        latest=dt.date(2026, 12, 18),
        part_of_day="any",
        note="",
    )
    desk = personas.actor(frank)
    with pytest.raises(PermissionDenied):
        actions.handle_change_request(personas.actor(charlie), req, status=RequestStatus.DONE)
    with pytest.raises(ValidationError, match="handled or not possible"):
        actions.handle_change_request(desk, req, status=RequestStatus.OPEN)
    actions.handle_change_request(desk, req, status=RequestStatus.DECLINED, answer="Full")
    with pytest.raises(ValidationError, match="already handled"):
        actions.handle_change_request(desk, req, status=RequestStatus.DONE)
    req.refresh_from_db()
    assert (req.status, req.answer, req.handled_by) == (RequestStatus.DECLINED, "Full", frank)
