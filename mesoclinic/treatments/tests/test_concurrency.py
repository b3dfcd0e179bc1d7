"""Two people signing off or amending the same session at once never lose either change."""

import threading

import pytest
from django.db import close_old_connections, connection

from mesoclinic.treatments import actions, amendments
from mesoclinic.treatments.models import Amendment, TreatmentSession
from tests.support import personas
from tests.support.treatments import point

pytestmark = pytest.mark.django_db(transaction=True)


def _race(*jobs):
    """Run the jobs at the same moment in their own threads (and database connections)."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait()
            results[i] = ("ok", job())
        except Exception as exc:  # noqa: BLE001 - collected for the assertions
            results[i] = ("error", exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="real concurrent writers need PostgreSQL; SQLite's in-memory test database locks instead of waiting",
)


@needs_postgres
def test_two_sign_offs_at_once_sign_exactly_once(ready, nora, alice):
    plan, product, lot = ready
    session = actions.start_session(personas.actor(nora), plan)
    actions.add_point(personas.actor(nora), session, point(lot))
    results = _race(
        lambda: actions.sign_off(personas.actor(nora), TreatmentSession.objects.get(pk=session.pk)),
        lambda: actions.sign_off(
            personas.actor(alice), TreatmentSession.objects.get(pk=session.pk)
        ),
    )
    outcomes = sorted(r[0] for r in results)
    assert outcomes == ["error", "ok"], results
    refused = next(r[1] for r in results if r[0] == "error")
    assert isinstance(refused, actions.Refused) and "Already signed off" in " ".join(
        refused.messages
    )


@needs_postgres
def test_two_amendments_at_once_are_both_kept(ready, nora, alice):
    plan, product, lot = ready
    session = actions.start_session(personas.actor(nora), plan)
    actions.add_point(personas.actor(nora), session, point(lot))
    actions.sign_off(personas.actor(nora), session)
    results = _race(
        lambda: amendments.amend(
            personas.actor(nora),
            TreatmentSession.objects.get(pk=session.pk),
            reason="Pain score was misheard",
            details={"pain_score": 4},
        ),
        lambda: amendments.amend(
            personas.actor(alice),
            TreatmentSession.objects.get(pk=session.pk),
            reason="Add the note from the physician",
            details={"notes": "Tolerated well"},
        ),
    )
    assert [r[0] for r in results] == ["ok", "ok"], results
    session.refresh_from_db()
    assert session.pain_score == 4 and session.notes == "Tolerated well"
    assert sorted(Amendment.objects.filter(session=session).values_list("revision", flat=True)) == [
        session.revision - 1,
        session.revision,
    ]


def test_an_amendment_from_a_stale_copy_keeps_the_other_change(ready, nora, alice):
    """The same guarantee without threads: each amendment re-reads the row under its lock."""
    plan, product, lot = ready
    session = actions.start_session(personas.actor(nora), plan)
    actions.add_point(personas.actor(nora), session, point(lot))
    actions.sign_off(personas.actor(nora), session)
    stale_a = TreatmentSession.objects.get(pk=session.pk)
    stale_b = TreatmentSession.objects.get(pk=session.pk)
    amendments.amend(
        personas.actor(nora), stale_a, reason="Pain score was misheard", details={"pain_score": 4}
    )
    amendments.amend(
        personas.actor(alice),
        stale_b,
        reason="Add the note from the physician",
        details={"notes": "Tolerated well"},
    )
    session.refresh_from_db()
    assert (session.pain_score, session.notes) == (4, "Tolerated well")
    assert Amendment.objects.filter(session=session).count() == 2
    with pytest.raises(actions.Refused, match="Already signed off"):
        actions.sign_off(personas.actor(alice), stale_b)
