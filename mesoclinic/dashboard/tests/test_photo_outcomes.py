"""Issue 17: outcomes per protocol include the photo measures over the series, beside GAIS,
read through the photos app's access, with the figure linking to the series behind it."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from mesoclinic.audit.models import AuditEvent
from mesoclinic.photos.access import outcome_series, outcome_summary
from mesoclinic.photos.actions import record_consent
from mesoclinic.photos.models import Photo
from mesoclinic.treatments.models import TreatmentSession
from tests.support import personas


def _session(plan, number, at, signer):
    session = TreatmentSession.objects.create(
        plan=plan, patient=plan.patient, number=number, protocol=plan.protocol, started_at=at
    )
    TreatmentSession.objects.filter(pk=session.pk).update(
        status="signed", signed_at=at, signed_by=signer
    )
    return session


def _photo(session, consent, view, area, erythema, ok=True):
    return Photo.objects.create(
        patient=session.patient, consent=consent, session=session,
        taken_on=timezone.localdate(session.started_at), view=view, area="face",
        file=f"t/{session.pk}-{view}.jpg", sha256="0" * 64, width=10, height=10,
        size_bytes=1, original_format="jpeg", quality_ok=ok,
        analysis={"regions": {"face": {"pigmented_area_pct": area, "erythema_index": erythema,
                                       "ita_deg": 35.0}}},
    )  # fmt: skip


def _series(plan, nora, alice):
    now = timezone.now()
    consent = record_consent(
        personas.actor(nora), plan.patient, scope="patient",
        signer_name=plan.patient.full_name, signed_on=timezone.localdate(),
    )  # fmt: skip
    s1 = _session(plan, 1, now - dt.timedelta(days=40), alice)
    s2 = _session(plan, 2, now - dt.timedelta(days=20), alice)
    s3 = _session(plan, 3, now - dt.timedelta(days=2), alice)
    _photo(s1, consent, "front", 10.0, 12.0)
    _photo(s1, consent, "left45", 30.0, 30.0)  # a 45-degree view is not compared
    _photo(s2, consent, "front", 50.0, 50.0, ok=False)  # failed its capture check
    _photo(s3, consent, "front", 6.0, 13.0)
    _photo(s3, consent, "left45", 1.0, 1.0)


def test_photo_measures_over_the_series_first_to_last_measured_visit(plan, nora, alice):
    _series(plan, nora, alice)
    today = timezone.localdate()
    rows = outcome_summary(personas.actor(alice), today - dt.timedelta(days=60), today)
    by_key = {r["key"]: r for r in rows}
    area = by_key["pigmented_area_pct"]
    assert (area["series"], area["first"], area["last"], area["change"]) == (1, 10.0, 6.0, -4.0)
    assert area["improved"] == 1 and area["improved_pct"] == 100
    assert by_key["erythema_index"]["improved"] == 0  # 12 -> 13: worse
    assert by_key["ita_deg"]["improved"] is None  # no better direction
    # a range holding only one measured visit has no series
    assert outcome_summary(personas.actor(alice), today - dt.timedelta(days=10), today) == []
    # the practitioner filter: another practitioner signed none of these sessions
    assert (
        outcome_summary(
            personas.actor(alice), today - dt.timedelta(days=60), today, practitioner=nora
        )
        == []
    )


def test_the_dashboard_shows_photo_outcomes_beside_gais_and_links_to_the_series(
    login, plan, nora, alice, adam
):
    _series(plan, nora, alice)
    start = (timezone.localdate() - dt.timedelta(days=60)).isoformat()
    html = login(alice).get(reverse("dashboard:dashboard"), {"start": start}).text
    assert "Photo measures over the series" in html and 'id="photo-outcomes-t"' in html
    link = re.search(r'<a href="(/home/dashboard/outcomes\?[^"]+)"><rect class="bar"', html)
    assert link, "the photo outcome bar does not link to its series"
    listed = login(alice).get(link.group(1).replace("&amp;", "&"))
    assert listed.status_code == 200
    assert plan.patient.family_name in listed.text and "10.0 → 6.0%" in listed.text
    # the owner sees the numbers, not the patients behind them
    owner = login(adam).get(reverse("dashboard:dashboard"), {"start": start}).text
    assert "Photo measures over the series" in owner and "/home/dashboard/outcomes?" not in owner
    assert login(adam).get(link.group(1).replace("&amp;", "&")).status_code == 403


def test_the_series_list_is_audited(plan, nora, alice):
    _series(plan, nora, alice)
    today = timezone.localdate()
    rows = outcome_series(personas.actor(alice), today - dt.timedelta(days=60), today)
    assert len(rows) == 1 and rows[0].visits == 2
    assert AuditEvent.objects.filter(summary__startswith="photo measures of 1 series").exists()
