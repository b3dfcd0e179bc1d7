"""A change that did not happen is not audited as done (issue 15): inside a request, the
row of a change whose transaction rolled back is written as "failed"; reads and refusals
recorded in the same transaction are kept as they are. On SQLite and PostgreSQL."""

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from mesoclinic.audit import actions
from mesoclinic.audit.actions import buffered, record
from mesoclinic.audit.models import AuditEvent
from mesoclinic.patients import actions as patient_actions
from mesoclinic.patients.models import Patient
from tests.support import personas

pytestmark = pytest.mark.django_db


def _rows(patient):
    return list(AuditEvent.objects.filter(patient_code=patient.code).order_by("seq"))


def test_a_rolled_back_change_is_written_as_failed_and_a_read_is_kept(nora, patient):
    act = personas.actor(nora)
    before = {e.pk for e in _rows(patient)}
    with buffered():
        with pytest.raises(RuntimeError), transaction.atomic():
            record(act, "view", patient, patient=patient, summary="chart")
            record(act, "update", patient, patient=patient, summary="demographics")
            raise RuntimeError("the next write failed")
        with transaction.atomic():
            record(act, "create", patient, patient=patient, summary="note")
        record(act, "update", patient, patient=patient, summary="outside a transaction")
    rows = [e for e in _rows(patient) if e.pk not in before]
    assert [(e.action, e.summary) for e in rows] == [
        ("view", "chart"),
        ("failed", "not done: demographics"),
        ("create", "note"),
        ("update", "outside a transaction"),
    ]
    assert rows[1].detail == {"attempted": "update", "outcome": "rolled back"}


def test_a_savepoint_rolled_back_inside_a_committed_transaction(nora, patient):
    act = personas.actor(nora)
    with buffered(), transaction.atomic():
        record(act, "update", patient, patient=patient, summary="kept")
        try:
            with transaction.atomic():
                record(act, "create", patient, patient=patient, summary="undone")
                raise DatabaseError("constraint")
        except DatabaseError:
            pass
    actions_of = {e.summary: e.action for e in _rows(patient)}
    assert actions_of["kept"] == "update" and actions_of["not done: undone"] == "failed"


def test_a_request_whose_change_failed_leaves_a_failed_row(login, nora, patient, monkeypatch):
    """The demographics save records its update, then its transaction fails: the request
    ends in an error and the log says the change was tried, not done."""

    def record_then_fail(*args, **kwargs):
        record(*args, **kwargs)
        raise DatabaseError("disk full")

    monkeypatch.setattr(patient_actions, "record", record_then_fail)
    client = login(nora)
    client.raise_request_exception = False
    data = {
        "given_name": "Renamed", "family_name": patient.family_name,
        "birth_date": patient.birth_date.isoformat(), "sex": patient.sex,
        "phone": patient.phone, "email": patient.email, "language": "",
    }  # fmt: skip
    response = client.post(reverse("patients:edit", args=[patient.code]), data)
    assert response.status_code == 500
    assert Patient.objects.get(pk=patient.pk).given_name != "Renamed"
    last = AuditEvent.objects.filter(patient_code=patient.code).order_by("seq").last()
    assert last.action == actions.FAILED and last.detail["attempted"] == "update"
    assert not AuditEvent.objects.filter(
        patient_code=patient.code, action="update", summary="demographics"
    ).exists()


def test_a_committed_request_is_audited_as_done(login, nora, patient):
    client = login(nora)
    data = {
        "given_name": "Renamed", "family_name": patient.family_name,
        "birth_date": patient.birth_date.isoformat(), "sex": patient.sex,
        "phone": patient.phone, "email": patient.email, "language": "",
    }  # fmt: skip
    assert client.post(reverse("patients:edit", args=[patient.code]), data).status_code == 302
    last = AuditEvent.objects.filter(patient_code=patient.code).order_by("seq").last()
    assert (last.action, last.summary) == ("update", "demographics")
