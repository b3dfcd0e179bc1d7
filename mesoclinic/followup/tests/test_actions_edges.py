"""Follow-up refusals and scoping: check-ins answered once and only when open, alerts and
adverse events of another clinic, adverse-event dates and grades that do not fit, GAIS
ratings, and staff reads that stay in the actor's clinic."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from mesoclinic.audit.models import AuditEvent
from mesoclinic.followup import access, actions
from mesoclinic.followup.models import CheckIn, ClinicAlert, GaisScore
from tests.support import personas
from tests.support.treatments import seal_lifted

from .conftest import NOW, TODAY


def _event(nora, session):
    return actions.report_side_effect(
        personas.actor(nora), session, symptoms=["blistering"], severity="moderate"
    )


def test_a_check_in_is_answered_once_and_only_when_open(nora, session, later):
    act = personas.actor(nora)
    day2 = CheckIn.objects.get(session=session, day=2)
    with pytest.raises(ValidationError, match="not open yet"):
        actions.answer_checkin(act, day2, symptoms=[])
    later(days=2, hours=2)
    with pytest.raises(ValidationError) as err:
        actions.answer_checkin(act, day2, symptoms=["redness"])
    assert "severity" in err.value.message_dict
    actions.answer_checkin(act, day2, symptoms=[])
    with pytest.raises(ValidationError, match="already been answered"):
        actions.answer_checkin(act, day2, symptoms=["redness"], severity="mild")
    day2.refresh_from_db()
    assert day2.symptoms == [] and day2.triage is None


def test_another_clinic_cannot_acknowledge_or_grade(nora, session, charlie):
    event = _event(nora, session)
    alert = ClinicAlert.objects.get(adverse_event=event)
    stranger = personas.actor(charlie)
    with pytest.raises(PermissionDenied):
        actions.acknowledge_alert(stranger, alert)
    with pytest.raises(PermissionDenied):
        actions.update_adverse_event(stranger, event, {"ctcae_grade": 1})
    with pytest.raises(Http404):
        access.get_alert(stranger, alert.code)
    alert.refresh_from_db()
    assert alert.acknowledged_at is None
    first = actions.acknowledge_alert(personas.actor(nora), alert)
    again = actions.acknowledge_alert(personas.actor(nora), alert)  # a second click: no change
    assert again.acknowledged_at == first.acknowledged_at
    assert AuditEvent.objects.filter(summary__startswith="alert acknowledged").count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"outcome": "resolved", "resolved_at": NOW + dt.timedelta(days=1)}, "resolved_at"),
        ({"outcome": "resolved", "resolved_at": NOW - dt.timedelta(days=5)}, "resolved_at"),
        ({"outcome": "ongoing", "resolved_at": NOW}, "resolved_at"),
        ({"ctcae_grade": 6}, "ctcae_grade"),
        ({"outcome": "better"}, "outcome"),
    ],
)
def test_adverse_event_updates_name_the_field_that_does_not_fit(nora, session, data, field):
    event = _event(nora, session)
    with pytest.raises(ValidationError) as err:
        actions.update_adverse_event(personas.actor(nora), event, data)
    assert field in err.value.message_dict
    event.refresh_from_db()
    assert event.ctcae_grade is None and event.resolved_at is None


def test_an_unchanged_adverse_event_is_not_audited(nora, session):
    event = _event(nora, session)
    before = AuditEvent.objects.count()
    actions.update_adverse_event(personas.actor(nora), event, {"outcome": event.outcome})
    assert AuditEvent.objects.count() == before


def test_gais_needs_a_signed_session_a_score_and_no_future_date(nora, session):
    act = personas.actor(nora)
    with pytest.raises(ValidationError) as err:
        actions.record_gais(act, session, score=6)
    assert "score" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        actions.record_gais(act, session, score=3, rated_on=TODAY + dt.timedelta(days=1))
    assert "rated_on" in err.value.message_dict
    from mesoclinic.treatments.models import TreatmentSession

    with seal_lifted(session):
        TreatmentSession.objects.filter(pk=session.pk).update(status="open")  # as if not signed
    session.refresh_from_db()
    with pytest.raises(ValidationError, match="signed-off session"):
        actions.record_gais(act, session, score=3)
    assert not GaisScore.objects.exists()


def test_staff_reads_stay_in_the_clinic(nora, frank, session, charlie):
    event = _event(nora, session)
    day2 = CheckIn.objects.get(session=session, day=2)
    assert access.open_alert_count(personas.actor(frank)) == 0  # the front desk sees none
    assert access.open_alert_count(personas.actor(nora)) == 1
    assert access.get_checkin(personas.actor(nora), day2.code) == day2
    assert AuditEvent.objects.filter(action="view", object_code=str(day2.code)).exists()
    stranger = personas.actor(charlie)
    with pytest.raises(Http404):
        access.get_checkin(stranger, day2.code)
    with pytest.raises(Http404):
        access.for_chart(stranger, session.patient)
    with pytest.raises(Http404):
        access.sheet_of(stranger, session)
    assert access.own_events(session.patient) == [event]
