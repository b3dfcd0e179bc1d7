import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from mesoclinic.audit.actions import record
from mesoclinic.audit.models import AppendOnly, AuditEvent
from tests.support import personas


def test_the_audit_log_refuses_changes_through_the_orm(nora):
    event = record(personas.actor(nora), "view", summary="x")
    event.summary = "changed"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(summary="changed")
    with pytest.raises(AppendOnly):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_updates_of_the_audit_log(nora):
    event = record(personas.actor(nora), "view", summary="original")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET summary = 'forged' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).summary == "original"


def test_records_say_who_when_what_and_from_where(nora, patient):
    event = record(personas.actor(nora), "view", patient, patient=patient)
    assert event.username == "nora" and event.role == "nurse"
    assert event.ip == "127.0.0.1" and event.user_agent == "pytest"
    assert event.object_type == "Patient" and event.object_code == str(patient.code)
    assert event.patient_code == patient.code and event.at is not None


def test_clinic_admins_browse_and_filter_their_clinic_only(login, adam, nora, charlie, patient):
    record(personas.actor(charlie), "view", summary="clinic B secret")
    client = login(nora)
    client.get(reverse("patients:chart", args=[patient.code]))
    admin = login(adam)
    page = admin.get(reverse("audit:list"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "nora" in body and "clinic B secret" not in body
    filtered = admin.get(
        reverse("audit:list"), {"action": "view", "patient": str(patient.code), "user": "nora"}
    )
    events = filtered.context["page"].events
    assert events and all(e.action == "view" and e.patient_code == patient.code for e in events)
    bad = admin.get(reverse("audit:list"), {"patient": "not-a-uuid"})
    assert bad.status_code == 200 and "Enter a valid UUID" in bad.content.decode()


@pytest.mark.parametrize("persona", ["alice", "nora", "frank", "charlie"])
def test_only_clinic_admins_see_the_audit_log(login, persona, request):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("audit:list")).status_code == 403


def test_audit_pages_go_back_by_keyset_without_counting(login, adam, nora, clinic_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mesoclinic.audit.actions import buffered

    with buffered():  # 120 rows in one INSERT
        for i in range(120):
            record(personas.actor(nora), "view", summary=f"row {i}")
    admin = login(adam)
    seen, url, pages = [], reverse("audit:list"), 0
    params = {"user": "nora"}
    while True:
        with CaptureQueriesContext(connection) as ctx:
            response = admin.get(url, params)
        audit_queries = [
            q["sql"].upper() for q in ctx.captured_queries if "AUDIT_AUDITEVENT" in q["sql"].upper()
        ]
        assert audit_queries and not any("COUNT(" in q for q in audit_queries)
        page = response.context["page"]
        seen += [e.summary for e in page.events]
        pages += 1
        if not page.older:
            break
        params = {"user": "nora", "before": page.older}
    assert pages == 3 and seen == [f"row {i}" for i in reversed(range(120))]
    bad = admin.get(url, {"before": "1; DROP TABLE"})
    assert bad.status_code == 200 and "not valid" in bad.content.decode()
    assert len(bad.context["page"].events) == 50
    far = admin.get(url, {"until": "9999-12-31"})
    assert far.status_code == 200 and far.context["form"].errors
