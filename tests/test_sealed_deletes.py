"""Signed or appended rows are never deleted, by raw SQL either, on SQLite and PostgreSQL
(issue 15): every sealed and append-only table has a DELETE guard in the database. The
two deliberate paths past it are the test flush on SQLite ("truncate") and the erasure of
a patient's photo records ("erasure"), see mesoclinic/core/db.py."""

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from mesoclinic.audit.actions import record
from mesoclinic.billing import actions as billing
from mesoclinic.consent.actions import withdraw_consent
from mesoclinic.consent.models import Consent
from mesoclinic.core.db import maintenance
from mesoclinic.core.models import AppendOnlyModel
from mesoclinic.core.sealed import SealedModel
from mesoclinic.education.models import Article, ArticleVersion
from mesoclinic.followup.models import AdverseEvent
from mesoclinic.patchtests.actions import record_patch_test, void_patch_test
from mesoclinic.photos.models import Photo, PhotoConsent
from mesoclinic.screening.models import ScreeningOverride, ScreeningRecord
from mesoclinic.treatments import amendments
from mesoclinic.treatments.models import TreatmentSession
from tests.support import personas
from tests.support.billing import _frozen, booster, plan, prices, signed  # noqa: F401
from tests.support.treatments import NOW, TODAY, point

pytestmark = pytest.mark.django_db
# PostgreSQL's older triggers (core.db.append_only, sealed) may speak first
REFUSED = r"never deleted|append-only|only by an amendment"

# every guarded table, and which of its rows are sealed (SQL over the table's rows)
GUARDED = {
    "audit_auditevent": "TRUE",
    "billing_invoice": "TRUE",
    "billing_invoiceline": "TRUE",
    "billing_payment": "TRUE",
    "consent_consent": "TRUE",
    "consent_consenttemplate": "TRUE",
    "consent_consentwithdrawal": "TRUE",
    "education_articleversion": "status = 'approved'",
    "followup_adverseevent": "TRUE",
    "followup_aftercaresheet": "TRUE",
    "patchtests_patchtest": "result <> 'pending'",
    "patchtests_patchtestvoid": "TRUE",
    "patients_intakeversion": "TRUE",
    "photos_photo": "TRUE",
    "photos_photoconsent": "TRUE",
    "products_stockmove": "TRUE",
    "screening_screeningoverride": "TRUE",
    "screening_screeningrecord": "TRUE",
    "treatments_amendment": "TRUE",
    "treatments_sessionpoint": "session_id IN (SELECT id FROM treatments_treatmentsession"
    " WHERE status = 'signed')",
    "treatments_treatmentsession": "status = 'signed'",
}


@pytest.fixture
def records(nora, alice, frank, clinic_a, prices, signed, booster):  # noqa: F811
    """At least one sealed row in every guarded table, written the way the application
    writes them (the photo, article and override rows through the ORM)."""
    act = personas.actor(nora)
    patient = signed.patient
    invoice = billing.invoice_session(personas.actor(frank), signed)
    billing.take_payment(personas.actor(frank), patient, 1000, "cash", invoice=invoice)
    amendments.amend(
        act, signed, reason="charted twice", details={"notes": "amended"},
        add_points=[point(booster[1], zone="cheeks")],
    )  # fmt: skip
    pending = record_patch_test(
        act, patient, substance="vitamin C", site="inner_forearm", reading_minutes=30,
        applied_at=timezone.now() - dt.timedelta(hours=1),
    )  # fmt: skip
    void_patch_test(act, pending, reason="applied to the wrong arm")
    withdraw_consent(act, Consent.objects.filter(patient=patient).first(), "changed my mind")
    ScreeningOverride.objects.create(
        screening=ScreeningRecord.objects.filter(patient=patient).first(), physician=alice,
        reason="reviewed", covers=[], decision="proceed",
    )  # fmt: skip
    scope = PhotoConsent.objects.create(
        patient=patient, scope="clinical", signer_name="A Y", signed_on=TODAY, recorded_by=nora
    )
    Photo.objects.create(
        patient=patient, consent=scope, taken_on=TODAY, view="front", file="a.webp",
        sha256="0" * 64, width=10, height=10, size_bytes=100, original_format="jpeg",
        uploaded_by=nora,
    )  # fmt: skip
    AdverseEvent.objects.create(
        clinic=clinic_a, patient=patient, session=signed, protocol=signed.protocol,
        source="staff", reported_by=nora, reported_at=NOW, symptoms=["redness"],
        severity="mild", hours_since_session=2, triage={"level": "self-care"}, level="self-care",
    )  # fmt: skip
    article = Article.objects.create(clinic=clinic_a, slug="aftercare")
    ArticleVersion.objects.create(
        article=article, number=1, sections={"makeup": {"en": "x"}}, status="approved",
        articles_version="1", knowledge_version="1", approved_by=alice, approved_at=NOW,
    )  # fmt: skip
    record(act, "view", patient, patient=patient, summary="read")
    return signed


def _sealed_ids(table: str) -> list[int]:
    where = GUARDED[table].replace("TRUE", "1 = 1")
    with connection.cursor() as cur:
        cur.execute(f"SELECT id FROM {table} WHERE {where} ORDER BY id")
        return [row[0] for row in cur.fetchall()]


def _delete(sql: str, params=()) -> None:
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, params)


@pytest.mark.parametrize("table", sorted(GUARDED))
def test_a_raw_delete_of_a_sealed_row_is_refused(records, table):
    ids = _sealed_ids(table)
    assert ids, f"the fixture wrote no sealed row of {table}"
    with pytest.raises(DatabaseError, match=REFUSED):
        _delete(f"DELETE FROM {table} WHERE id = %s", [ids[0]])
    with pytest.raises(DatabaseError, match=REFUSED):
        _delete(f"DELETE FROM {table}")  # the whole table, as a careless script would
    assert _sealed_ids(table) == ids


def test_rows_not_yet_sealed_are_still_deleted(nora, clinic_a, alice, ready_session):
    """An open session's point, a pending patch test and a draft article are not sealed."""
    act = personas.actor(nora)
    patient = ready_session.patient
    pending = record_patch_test(
        act, patient, substance="vitamin C", site="inner_forearm", reading_minutes=30,
        applied_at=timezone.now() - dt.timedelta(hours=1),
    )  # fmt: skip
    article = Article.objects.create(clinic=clinic_a, slug="draft")
    draft = ArticleVersion.objects.create(
        article=article, number=1, sections={}, status="draft", articles_version="1",
        knowledge_version="1",
    )  # fmt: skip
    _delete("DELETE FROM treatments_sessionpoint WHERE session_id = %s", [ready_session.pk])
    _delete("DELETE FROM patchtests_patchtest WHERE id = %s", [pending.pk])
    _delete("DELETE FROM education_articleversion WHERE id = %s", [draft.pk])
    assert not ready_session.points.exists()


@pytest.fixture
def ready_session(nora, plan, booster):  # noqa: F811
    from mesoclinic.treatments.actions import add_point, start_session

    act = personas.actor(nora)
    session = start_session(act, plan)
    add_point(act, session, point(booster[1]))
    return session


def test_the_erasure_mode_lets_photo_records_go_and_nothing_else(records):
    photo = Photo.objects.get(patient=records.patient)
    with pytest.raises(DatabaseError, match=REFUSED), maintenance("erasure"):
        _delete("DELETE FROM treatments_treatmentsession WHERE id = %s", [records.pk])
    with maintenance("erasure"):
        _delete("DELETE FROM photos_photo WHERE id = %s", [photo.pk])
    assert not Photo.objects.filter(pk=photo.pk).exists()
    # the mode ended with the block
    other = PhotoConsent.objects.get(patient=records.patient)
    with pytest.raises(DatabaseError, match=REFUSED):
        _delete("DELETE FROM photos_photoconsent WHERE id = %s", [other.pk])


def test_the_truncate_mode_empties_sealed_tables_on_sqlite_only(records):
    """The test flush's mode: on SQLite it is PostgreSQL's TRUNCATE; PostgreSQL itself
    ignores it (its flush truncates, which the application's role may not do)."""
    if connection.vendor == "sqlite":
        with maintenance("truncate"):
            _delete("DELETE FROM audit_auditevent")
        assert not _sealed_ids("audit_auditevent")
    else:
        with pytest.raises(DatabaseError, match=REFUSED), maintenance("truncate"):
            _delete("DELETE FROM audit_auditevent")
        assert _sealed_ids("audit_auditevent")


def test_an_unknown_maintenance_mode_is_refused():
    with pytest.raises(ValueError), maintenance("cleanup"):
        pass


def test_every_sealed_and_append_only_model_is_guarded():
    """A new sealed or append-only model cannot be added without its DELETE guard (and,
    on SQLite, a migration that rebuilds a table would drop its triggers: this sees it)."""
    tables = {
        m._meta.db_table for m in apps.get_models() if issubclass(m, (SealedModel, AppendOnlyModel))
    }
    assert tables <= set(GUARDED)
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cur.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        triggers = {row[0] for row in cur.fetchall()}
    assert {f"{t}_delete_guard" for t in GUARDED} <= triggers


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the sqlite3 shell")
def test_a_connection_without_the_application_cannot_delete(records, tmp_path):
    """The sqlite3 shell or another program opens the file without the function the guard
    reads: its DELETE of a guarded table is refused outright."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'treatments_amendment' "
            "AND type IN ('table', 'trigger') AND sql IS NOT NULL ORDER BY type"
        )
        schema = [row[0] for row in cur.fetchall()]
    other = sqlite3.connect(Path(tmp_path) / "copy.sqlite3")
    for sql in schema:  # the table, then its triggers (foreign keys are off here)
        other.execute(sql)
    with pytest.raises(sqlite3.OperationalError, match="mesoclinic_maintenance"):
        other.execute("DELETE FROM treatments_amendment")
    other.close()


def test_the_erasure_still_removes_photo_records(records, adam, alice):
    from mesoclinic.erasure.actions import erase_patient

    patient = records.patient
    erase_patient(personas.actor(adam), patient, note="letter of 1 December")
    assert not Photo.objects.filter(patient=patient).exists()
    assert TreatmentSession.objects.filter(patient=patient).exists()
