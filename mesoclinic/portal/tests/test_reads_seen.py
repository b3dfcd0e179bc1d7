"""Issue 15, every read seen: the reads that left no audit row, refused (403) and
not-found (404) attempts recorded as such, and the patient's "who opened my record"."""

import uuid

import pytest
from django.urls import reverse

from mesoclinic.audit.models import AuditEvent
from mesoclinic.scheduling.resources import create_feed
from tests.support import personas


def _events(**kw):
    return AuditEvent.objects.filter(**kw)


def test_the_demographics_edit_page_is_a_read(login, frank, patient):
    login(frank).get(reverse("patients:edit", args=[patient.code]))
    assert _events(username="frank", patient_code=patient.code, action="view").exists()


def test_the_audit_view_itself_is_audited(login, adam):
    login(adam).get(reverse("audit:list"), {"action": "view"})
    event = _events(username="adam", action="view", object_type="AuditLog").get()
    assert event.detail.get("filters", {}).get("action") == "view"


def test_the_change_requests_page_is_a_read(login, frank):
    login(frank).get(reverse("portal:staff_requests"))
    assert _events(username="frank", action="view", object_type="ChangeRequests").exists()


def test_a_calendar_feed_fetch_is_a_read(client, nora, patient):
    token, secret = create_feed(personas.actor(nora), patient=patient)
    assert client.get(reverse("scheduling:feed", args=[secret])).status_code == 200
    event = _events(action="read", object_type="CalendarToken").get()
    assert event.patient_code == patient.code and event.object_code == str(token.code)


def test_the_patients_own_portal_pages_are_reads(portal, patient):
    for name in ("portal:home", "portal:appointments", "portal:aftercare_list"):
        assert portal.get(reverse(name)).status_code == 200
    seen = set(
        _events(username="ayse", action="view", patient_code=patient.code).values_list(
            "summary", flat=True
        )
    )
    assert {"portal:home", "portal:appointments", "portal:aftercare_list"} <= seen


def test_a_refused_attempt_is_recorded_with_who_what_and_outcome(login, frank, patient):
    # front desk may not open the clinical chart's treatment plan page, say; use the audit
    response = login(frank).get(reverse("audit:list"))
    assert response.status_code == 403
    event = _events(username="frank", action="refused").get()
    assert event.detail["status"] == 403 and event.detail["path"] == reverse("audit:list")


def test_a_not_found_attempt_on_another_clinics_patient_is_recorded(login, charlie, patient):
    response = login(charlie).get(reverse("patients:chart", args=[patient.code]))
    assert response.status_code == 404
    mine = charlie.membership.clinic_id  # (clinic A's own row: the next test)
    event = _events(username="charlie", action="not_found", clinic_id=mine).get()
    assert event.object_code == str(patient.code) and event.detail["status"] == 404
    assert event.clinic_id == charlie.membership.clinic_id
    assert event.patient_code is None  # not this clinic's patient: nothing about it leaks


def test_the_clinic_that_owns_the_patient_sees_the_attempt_too(login, charlie, patient):
    """Clinic A sees charlie's (clinic B) attempt on its patient, in its own log and chain;
    charlie's response and charlie's own row are the same as for a code naming no one."""
    client = login(charlie)
    real = client.get(reverse("patients:chart", args=[patient.code]))
    made_up = uuid.uuid4()
    fake = client.get(reverse("patients:chart", args=[made_up]))
    assert real.status_code == fake.status_code == 404
    assert real.content.decode().replace(str(patient.code), "X") == fake.content.decode().replace(
        str(made_up), "X"
    )
    asker = _events(clinic_id=charlie.membership.clinic_id, action="not_found").order_by("seq")
    assert [e.patient_code for e in asker] == [None, None]
    assert [set(e.detail) for e in asker][0] == set(asker[1].detail)
    owner = _events(clinic_id=patient.clinic_id, action="not_found").get()
    assert owner.patient_code == patient.code and owner.username == "charlie"
    assert owner.detail["from_outside"] is True and owner.detail["asker_clinic"] == "Clinic B"
    assert owner.user_id is None  # another clinic's user is named, not linked


def test_an_own_patients_refusal_is_one_row(login, frank, patient):
    assert login(frank).get(reverse("treatments:plan_new", args=[patient.code])).status_code == 403
    event = _events(patient_code=patient.code, action="refused").get()
    assert event.username == "frank" and "from_outside" not in event.detail


def test_a_bad_calendar_secret_is_recorded_as_not_found(client):
    assert client.get(reverse("scheduling:feed", args=["nope"])).status_code == 404
    assert _events(action="not_found", detail__path="/scheduling/ical/nope.ics").exists() or (
        _events(action="not_found").count() == 1
    )


def test_who_opened_my_record_lists_staff_reads_by_role_and_date(portal, patient, alice, login):
    from mesoclinic.patients import access

    access.get_patient(personas.actor(alice), patient.code)
    response = portal.get(reverse("portal:record_reads"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Physician" in text
    assert "alice" not in text  # names only when the clinic chooses to show them
    profile = portal.get(reverse("portal:profile")).content.decode()  # the header's menu
    assert reverse("portal:record_reads") in profile


def test_who_opened_my_record_never_shows_another_patients_reads(portal, other, alice):
    from mesoclinic.patients import access

    access.get_patient(personas.actor(alice), other.code)
    text = portal.get(reverse("portal:record_reads")).content.decode()
    assert "Physician" not in text


@pytest.mark.parametrize("lang", ["en", "tr"])
def test_who_opened_my_record_is_in_both_languages(portal, patient, ayse, lang):
    patient.language = lang
    patient.save(update_fields=["language"])
    text = portal.get(reverse("portal:record_reads")).content.decode()
    assert ("Who opened my record" if lang == "en" else "Kaydımı kim açtı") in text


def test_random_code_is_recorded_not_found(login, nora):
    login(nora).get(reverse("patients:chart", args=[uuid.uuid4()]))
    assert _events(username="nora", action="not_found").count() == 1


def test_staff_names_are_shown_only_when_the_clinic_chooses(portal, patient, alice, settings):
    from mesoclinic.patients import access

    access.get_patient(personas.actor(alice), patient.code)
    assert "alice" not in portal.get(reverse("portal:record_reads")).content.decode()
    settings.PORTAL_SHOW_STAFF_NAMES = True
    assert "(alice)" in portal.get(reverse("portal:record_reads")).content.decode()


def test_the_page_is_paginated(portal, patient, alice):
    from mesoclinic.patients import access

    for _ in range(30):
        access.get_patient(personas.actor(alice), patient.code)
    first = portal.get(reverse("portal:record_reads")).content.decode()
    assert first.count("<tr><td>") == 25 and "page=2" in first
    second = portal.get(reverse("portal:record_reads"), {"page": 2}).content.decode()
    assert second.count("<tr><td>") == 5


def test_the_clinic_admin_sees_failed_sign_ins_in_the_audit(client, login, nora, adam):
    client.post(reverse("accounts:login"), {"username": "nora", "password": "wrong"})
    page = login(adam).get(reverse("audit:list"), {"action": "login_failed"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "login_failed" in text and "nora" in text
    assert 'value="locked_out"' in login(adam).get(reverse("audit:list")).content.decode()
