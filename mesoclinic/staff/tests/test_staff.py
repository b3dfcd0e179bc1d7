"""Issue 14: the clinic admin manages staff in the app: invites by e-mail (through the
outbox, the link's secret stored nowhere, single use, expiring), changes roles,
deactivates, unlocks a locked account and sees failed sign-ins and lockouts."""

import datetime as dt
import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.utils import timezone

from mesoclinic.accounts.models import Membership, User
from mesoclinic.audit.models import AuditEvent
from mesoclinic.outbox import delivery
from mesoclinic.outbox.models import Message
from mesoclinic.staff.models import StaffInvitation

pytestmark = pytest.mark.django_db
PASSWORD = "violet-harbour-kettle-49"


def _invite(client, email="deniz@example.org", role="physician"):
    r = client.post("/staff/", {"email": email, "role": role})
    assert r.status_code == 302, r.content.decode()
    message = Message.objects.get(kind="staff_invitation", status="pending")
    assert delivery.deliver(message.pk) == "sent"
    link = re.search(r"http://\S+/staff/join/\S+", mail.outbox[-1].body)[0]
    return message, link


def test_only_the_clinic_admin_manages_staff(login, alice, frank):
    assert login(alice).get("/staff/").status_code == 403
    assert (
        login(frank).post("/staff/", {"email": "x@example.org", "role": "nurse"}).status_code == 403
    )
    assert not StaffInvitation.objects.exists()


def test_invite_accept_once_and_the_secret_is_stored_nowhere(login, adam, client):
    admin = login(adam)
    page = admin.get("/staff/").content.decode()
    assert "adam" in page and "Invite a member of staff" in page
    message, link = _invite(admin)
    secret = link.rsplit("/", 1)[1]
    assert mail.outbox[-1].to == ["deniz@example.org"]
    message.refresh_from_db()
    for model in (Message, StaffInvitation, AuditEvent):
        assert secret not in repr(list(model.objects.values())), model.__name__
    assert "[link withheld]" in message.body

    client.logout()
    form = {
        "first_name": "Deniz",
        "last_name": "Kaya",
        "username": "deniz",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    weak = client.post(link, {**form, "password1": "123", "password2": "123"})
    assert weak.status_code == 400 and "too short" in weak.content.decode()
    done = client.post(link, form)
    assert done.status_code == 302
    member = Membership.objects.get(user__username="deniz")
    assert member.role == "physician" and member.clinic == adam.membership.clinic
    assert member.user.email == "deniz@example.org"
    client.logout()
    again = client.post(link, {**form, "username": "deniz2"})
    assert again.status_code == 400 and not User.objects.filter(username="deniz2").exists()


def test_an_expired_invitation_is_refused(login, adam, client):
    _message, link = _invite(login(adam))
    StaffInvitation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    client.logout()
    assert client.get(link).status_code == 400


def test_a_new_invitation_replaces_the_open_one(login, adam, client):
    admin = login(adam)
    _m, first = _invite(admin)
    _m2, second = _invite(admin)
    client.logout()
    assert client.get(first).status_code == 400 and client.get(second).status_code == 200


def test_bad_invitation_input_is_named(login, adam, alice):
    admin = login(adam)
    r = admin.post("/staff/", {"email": "not an address", "role": "physician"})
    assert r.status_code == 400 and "valid email" in r.content.decode()
    r = admin.post("/staff/", {"email": "x@example.org", "role": "patient"})
    assert r.status_code == 400
    alice.email = "alice@example.org"
    alice.save()
    r = admin.post("/staff/", {"email": "ALICE@example.org", "role": "nurse"})
    assert r.status_code == 400 and "already has this address" in r.content.decode()
    assert not StaffInvitation.objects.exists()


def test_role_change_and_deactivation(login, adam, nora, client):
    admin = login(adam)
    assert admin.post(f"/staff/{nora.code}/role", {"role": "front_desk"}).status_code == 302
    nora.membership.refresh_from_db()
    assert nora.membership.role == "front_desk"
    admin.post(f"/staff/{nora.code}/deactivate")
    nora.membership.refresh_from_db()
    assert not nora.membership.is_active
    assert AuditEvent.objects.filter(action="update", summary="deactivated").exists()
    nurse = client.__class__()
    nurse.force_login(nora)
    assert nurse.get("/patients/").status_code in (302, 403)  # no actor any more


def test_the_last_admin_is_never_removed(login, adam):
    admin = login(adam)
    admin.post(f"/staff/{adam.code}/role", {"role": "nurse"})
    admin.post(f"/staff/{adam.code}/deactivate")
    adam.membership.refresh_from_db()
    assert adam.membership.role == "clinic_admin" and adam.membership.is_active


def test_another_clinics_staff_cannot_be_touched(login, adam, charlie):
    admin = login(adam)
    admin.post(f"/staff/{charlie.code}/deactivate")
    charlie.membership.refresh_from_db()
    assert charlie.membership.is_active


def test_the_admin_sees_failed_sign_ins_and_unlocks(login, adam, nora, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login", {"username": "nora", "password": "wrong"})
    assert AccessAttempt.objects.filter(username="nora").exists()
    page = login(adam).get("/staff/").content.decode()
    assert "Locked" in page and "Failed sign-in" in page
    assert login(adam).post(f"/staff/{nora.code}/unlock").status_code == 302
    assert not AccessAttempt.objects.filter(username="nora").exists()
    assert AuditEvent.objects.filter(action="unlock").exists()
