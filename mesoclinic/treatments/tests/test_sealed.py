"""Signed means signed: once a session is signed off, the ORM and the database refuse every
change of it and its points except through an amendment."""

import pytest
from django.db import DatabaseError, connection, transaction

from mesoclinic.core.sealed import Sealed
from mesoclinic.treatments import actions, amendments
from mesoclinic.treatments.models import SessionPoint, TreatmentSession
from tests.support import personas
from tests.support.treatments import point

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite keeps deletes to the ORM guard (Django's test flush deletes row by row)",
)


@pytest.fixture
def signed(ready, nora):
    plan, product, lot = ready
    act = personas.actor(nora)
    session = actions.start_session(act, plan)
    actions.add_point(act, session, point(lot, stage=1))
    actions.add_point(act, session, point(lot, stage=2, zone="temples", depth_mm="2.0"))
    return actions.sign_off(act, session), lot


def _raw(sql, params):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, params)


def test_the_orm_refuses_to_change_a_signed_session(signed):
    session, lot = signed
    session.notes = "rewritten"
    with pytest.raises(Sealed):
        session.save()
    with pytest.raises(Sealed):
        TreatmentSession.objects.filter(pk=session.pk).update(notes="rewritten")
    with pytest.raises(Sealed):
        TreatmentSession.objects.filter(pk=session.pk).update(status="open")
    with pytest.raises(Sealed):
        TreatmentSession.objects.filter(pk=session.pk).delete()
    with pytest.raises(Sealed):
        session.delete()
    session.refresh_from_db()
    assert session.notes == "" and session.is_signed


def test_the_orm_refuses_to_change_points_of_a_signed_session(signed):
    session, lot = signed
    first = session.points.first()
    first.volume_ml = "9.000"
    with pytest.raises(Sealed):
        first.save()
    with pytest.raises(Sealed):
        SessionPoint.objects.filter(session=session).update(volume_ml="9.000")
    with pytest.raises(Sealed):
        SessionPoint.objects.filter(session=session).delete()
    with pytest.raises(Sealed):
        first.delete()
    with pytest.raises(Sealed):
        SessionPoint.objects.create(
            session=session, **{**point(lot), "volume_ml": "1.000"}, side="midline"
        )
    assert session.points.count() == 2


def test_the_database_refuses_raw_updates_of_a_signed_session(signed):
    session, _ = signed
    _raw("UPDATE treatments_treatmentsession SET notes = 'forged' WHERE id = %s", [session.pk])
    _raw("UPDATE treatments_treatmentsession SET status = 'open' WHERE id = %s", [session.pk])
    _raw(
        "UPDATE treatments_treatmentsession SET signed_by_id = NULL, revision = revision + 1 "
        "WHERE id = %s",
        [session.pk],
    )
    # bumping the revision is not enough: an amendment of that revision must exist
    _raw(
        "UPDATE treatments_treatmentsession SET notes = 'x', revision = revision + 1 WHERE id = %s",
        [session.pk],
    )
    _raw("UPDATE treatments_sessionpoint SET volume_ml = 9 WHERE session_id = %s", [session.pk])
    fresh = TreatmentSession.objects.get(pk=session.pk)
    assert fresh.notes == "" and fresh.is_signed and fresh.signed_by_id == session.signed_by_id
    assert fresh.signed_record == session.signed_record


@on_postgresql
def test_the_database_refuses_raw_deletes_of_a_signed_session(signed):
    session, _ = signed
    _raw("DELETE FROM treatments_sessionpoint WHERE session_id = %s", [session.pk])
    _raw("DELETE FROM treatments_treatmentsession WHERE id = %s", [session.pk])
    assert TreatmentSession.objects.get(pk=session.pk).points.count() == 2


def test_an_open_session_is_still_charted_freely(ready, nora):
    plan, product, lot = ready
    session = actions.start_session(personas.actor(nora), plan)
    TreatmentSession.objects.filter(pk=session.pk).update(notes="draft")
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE treatments_treatmentsession SET notes = 'x' WHERE id = %s", [session.pk]
        )
    session.refresh_from_db()
    assert session.notes == "x"


def test_an_amendment_is_the_way_to_change_a_signed_session(signed, nora):
    session, lot = signed
    first = session.points.order_by("id").first()
    amendment = amendments.amend(
        personas.actor(nora),
        session,
        reason="The temple point was charted twice",
        details={"notes": "amended"},
        remove_points=[first],
        add_points=[
            point(lot, stage=1, zone="cheeks", technique="epidermal-nappage", depth_mm="0.5")
        ],
    )
    session.refresh_from_db()
    assert session.notes == "amended" and session.revision == amendment.revision
    assert session.points.count() == 2 and session.is_signed
    # and the amendment does not leave the door open behind it
    _raw("UPDATE treatments_treatmentsession SET notes = 'again' WHERE id = %s", [session.pk])


def test_a_nurse_cannot_amend_a_physician_stage(ready, nora, alice):
    plan, product, lot = ready
    doctor = personas.actor(alice)
    session = actions.start_session(doctor, plan)
    actions.add_point(doctor, session, point(lot, stage=3, zone="nasolabial"))
    session = actions.sign_off(doctor, session)
    stage3 = session.points.get()
    with pytest.raises(actions.Refused, match="only a physician may amend"):
        amendments.amend(
            personas.actor(nora), session, reason="Remove that point", remove_points=[stage3]
        )
    with pytest.raises(actions.Refused, match="only a physician may amend"):
        amendments.amend(
            personas.actor(nora), session, reason="Change the notes", details={"notes": "x"}
        )
    assert session.points.count() == 1
    amendments.amend(doctor, session, reason="Remove that point", remove_points=[stage3])
    assert session.points.count() == 0


def test_a_nurse_cannot_add_a_physician_stage_by_amendment(signed, nora):
    session, lot = signed
    with pytest.raises(actions.Refused, match="only a physician may amend"):
        amendments.amend(
            personas.actor(nora),
            session,
            reason="Add the third stage",
            add_points=[point(lot, stage=3, zone="nasolabial")],
        )
