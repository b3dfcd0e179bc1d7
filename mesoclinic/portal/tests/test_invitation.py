"""Invitations: the front desk invites, the link works once and expires; accepting creates
a patient sign-in tied to that one patient. Patients land in the portal, never in staff
pages."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from mesoclinic.accounts.models import Membership
from mesoclinic.audit.models import AuditEvent
from mesoclinic.portal import actions
from mesoclinic.portal.models import Invitation, PortalAccount
from tests.support import personas

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "violet-harbour-kettle-49"


def invite_page(client, patient):
    return client.post(f"/portal/staff/patients/{patient.code}/invite")


def link_in(response) -> str:
    return re.search(
        r'value="(http://testserver/portal/invitation/[^"]+)"', response.content.decode()
    )[1]


def test_the_front_desk_invites_and_the_link_is_e_mailed(
    login, frank, patient, django_capture_on_commit_callbacks
):
    patient.email = "ayse@example.org"
    patient.save()
    client = login(frank)
    assert client.get(f"/portal/staff/patients/{patient.code}/invite").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        r = invite_page(client, patient)
    link = link_in(r)
    (message,) = mail.outbox
    assert message.to == ["ayse@example.org"] and link in message.body
    invitation = Invitation.objects.get()
    assert invitation.token_hash not in link  # only the hash is stored
    assert link.rsplit("/", 1)[1] not in str(invitation.__dict__)
    lifetime = invitation.expires_at - invitation.created_at
    assert abs(lifetime - dt.timedelta(hours=72)) < dt.timedelta(seconds=1)
    assert AuditEvent.objects.filter(object_type="Invitation", action="create").exists()


def test_accepting_creates_a_patient_sign_in_once(client, login, frank, patient):
    link = link_in(invite_page(login(frank), patient))
    client.logout()
    page = client.get(link)
    assert page.status_code == 200 and b"Welcome, Ay\xc5\x9fe" in page.content
    weak = client.post(link, {"username": "ayse", "password1": "123", "password2": "123"})
    assert weak.status_code == 400 and not PortalAccount.objects.exists()
    r = client.post(
        link, {"username": "ayse", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert r.status_code == 302 and r["Location"] == "/portal/"
    account = PortalAccount.objects.get()
    assert account.patient == patient and account.user.username == "ayse"
    membership = Membership.objects.get(user=account.user)
    assert membership.role == "patient" and membership.clinic == patient.clinic
    assert Invitation.objects.get().used_at is not None
    assert client.get("/portal/").status_code == 200  # signed in
    # single use
    client.logout()
    again = client.get(link)
    assert again.status_code == 404 and b"This link cannot be used" in again.content
    assert (
        client.post(
            link, {"username": "ayse2", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        ).status_code
        == 404
    )
    assert PortalAccount.objects.count() == 1
    # the new sign-in works through the normal login
    r = client.post("/accounts/login?next=/portal/", {"username": "ayse", "password": NEW_PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/portal/"


def test_an_expired_link_and_a_replaced_link_do_not_work(client, login, frank, patient, later):
    staff = login(frank)
    first = link_in(invite_page(staff, patient))
    second = link_in(invite_page(staff, patient))
    client.logout()
    assert client.get(first).status_code == 404  # replaced by the second
    assert client.get(second).status_code == 200
    later(days=3, hours=1)
    assert client.get(second).status_code == 404
    assert client.get("/portal/invitation/not-a-token").status_code == 404


def test_a_taken_user_name_is_refused_at_the_field(client, login, frank, patient):
    link = link_in(invite_page(login(frank), patient))
    client.logout()
    r = client.post(
        link, {"username": "frank", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert r.status_code == 400 and b"This user name is taken" in r.content


def test_a_patient_with_an_account_is_not_invited_again(nora, patient, ayse):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        actions.invite_patient(personas.actor(nora), patient, link_for=str)


def test_only_staff_of_the_clinic_invite(charlie, patient, ayse):
    with pytest.raises(PermissionDenied):
        actions.invite_patient(personas.actor(charlie), patient, link_for=str)
    with pytest.raises(PermissionDenied):
        actions.invite_patient(personas.actor(ayse), patient, link_for=str)


def test_another_clinic_cannot_open_the_invite_page(login, charlie, patient):
    assert login(charlie).get(f"/portal/staff/patients/{patient.code}/invite").status_code == 404


def test_the_portal_is_for_patients_only(client, login, nora, ayse):
    r = client.get("/portal/")
    assert r.status_code == 302 and "/accounts/login" in r["Location"]
    assert login(nora).get("/portal/").status_code == 403


def test_a_patient_never_sees_staff_pages(portal, patient):
    for url in (
        "/patients/",
        f"/patients/{patient.code}/",
        "/followup/alerts/",
        "/followup/events/",
        "/products/",
        f"/portal/staff/patients/{patient.code}/invite",
        "/portal/staff/requests/",
    ):
        assert portal.get(url).status_code == 403, url


def test_a_deactivated_patient_user_loses_the_portal(portal, ayse):
    ayse.is_active = False
    ayse.save()
    assert portal.get("/portal/").status_code in (302, 403)
