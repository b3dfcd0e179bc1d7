"""The tamper-evident audit: rows chained per clinic, `mesoclinic audit verify` finding the
first broken link, and one INSERT per request."""

import json
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mesoclinic.audit import chain
from mesoclinic.audit.actions import buffered, record
from mesoclinic.audit.middleware import AuditBufferMiddleware
from mesoclinic.audit.models import AuditEvent
from tests.support import personas


def _verify(*args):
    """(exit code, JSON report) of `mesoclinic audit verify`."""
    import io

    out = io.StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, json.loads(out.getvalue())


def _tamper(sql, params=()):
    """Change the log behind the application's back, as a database owner could."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks before ALTER
            cur.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        else:
            cur.execute("DROP TRIGGER IF EXISTS audit_auditevent_append_only")
            cur.execute("DROP TRIGGER IF EXISTS audit_auditevent_delete_guard")
        cur.execute(sql, params)


def _three(actor, patient):
    return [record(actor, "view", patient, patient=patient, summary=f"read {i}") for i in range(3)]


def test_rows_are_chained_per_clinic(nora, charlie, patient):
    a = _three(personas.actor(nora), patient)
    b = record(personas.actor(charlie), "view", summary="clinic B")
    first = a[0].seq  # the patient's creation came before
    assert [e.seq for e in a] == [first, first + 1, first + 2]
    assert b.seq == 1  # each clinic has its own chain
    assert a[1].prev_hash == a[0].hash and a[2].prev_hash == a[1].hash
    stored = AuditEvent.objects.get(pk=a[1].pk)
    assert chain.digest(a[0].hash, stored) == stored.hash  # reproducible from what is stored
    code, report = _verify()
    assert code == 0 and report["ok"] and report["first_break"] is None
    assert sum(c["rows"] for c in report["chains"]) == AuditEvent.objects.count()


def test_verify_names_an_edited_row(nora, clinic_a, patient):
    rows = _three(personas.actor(nora), patient)
    _tamper("UPDATE audit_auditevent SET summary = 'nothing to see' WHERE id = %s", [rows[1].pk])
    code, report = _verify()
    assert code == 1 and not report["ok"]
    assert report["first_break"] == {
        "clinic": str(clinic_a.code),
        "seq": rows[1].seq,
        "problem": "the row was changed after it was written",
    }


def test_verify_names_a_deleted_row_and_a_deleted_tail(nora, patient):
    rows = _three(personas.actor(nora), patient)
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [rows[2].pk])
    code, report = _verify()
    assert code == 1 and report["first_break"]["seq"] == rows[2].seq
    assert "missing at the end" in report["first_break"]["problem"]
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [rows[0].pk])
    code, report = _verify()
    n = rows[0].seq
    assert code == 1 and report["first_break"]["seq"] == n
    assert report["first_break"]["problem"] == f"rows {n} to {n} are missing"


def test_verify_refuses_bad_input(nora):
    with pytest.raises(CommandError) as err:
        call_command("audit", "verify", "--clinic", "not-a-code")
    assert err.value.returncode == 2
    with pytest.raises(CommandError) as err:
        call_command("audit", "verify", "--clinic", "00000000-0000-0000-0000-000000000000")
    assert err.value.returncode == 2 and "no clinic" in str(err.value)


def test_one_request_writes_its_audit_rows_in_one_insert(login, nora, patient):
    client = login(nora)
    before = AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("patients:chart", args=[patient.code])).status_code == 200
    inserts = [
        q for q in ctx.captured_queries if q["sql"].startswith('INSERT INTO "audit_auditevent"')
    ]
    assert AuditEvent.objects.count() - before >= 2 and len(inserts) == 1
    assert _verify()[0] == 0


def test_a_failed_request_still_leaves_its_rows(rf, nora, patient):
    actor = personas.actor(nora)

    def view(request):
        record(actor, "view", patient, patient=patient, summary="opened")
        raise RuntimeError("the view failed after reading")

    with pytest.raises(RuntimeError):
        AuditBufferMiddleware(view)(rf.get("/"))
    assert AuditEvent.objects.filter(summary="opened").count() == 1
    with pytest.raises(ValueError), buffered():
        record(actor, "view", summary="refused")
        raise ValueError
    assert AuditEvent.objects.filter(summary="refused").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads share SQLite's test db")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_of_one_clinic_keep_one_chain(clinic_a):
    from tests.support.personas import make_user

    user = make_user("nurse-x", clinic_a, "nurse")
    actor = personas.actor(user)

    def write(n):
        try:
            for i in range(10):
                with buffered():
                    record(actor, "view", summary=f"{n}-{i}")
                    record(actor, "view", summary=f"{n}-{i}b")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seqs = sorted(AuditEvent.objects.filter(clinic=clinic_a).values_list("seq", flat=True))
    assert seqs == list(range(1, 81))
    assert _verify()[0] == 0
