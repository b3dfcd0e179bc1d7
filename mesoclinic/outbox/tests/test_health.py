"""The worker's heartbeat, its resilience to a lost database, and what /healthz and the
staff's navigation say about them."""

import datetime as dt
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mesoclinic.lib import health as site_health
from mesoclinic.outbox import health
from mesoclinic.outbox.management.commands import worker as worker_command
from mesoclinic.outbox.models import WorkerBeat


@pytest.fixture
def beating(db):
    health.beat("w1", timezone.now())


def test_no_worker_is_reported_as_none_and_degrades_healthz(db):
    assert health.worker_status()["status"] == "none"
    doc = Client().get("/healthz").json()
    assert doc["status"] == "degraded" and doc["worker"]["status"] == "none"
    assert doc["database"] == "ok"


def test_a_fresh_heartbeat_is_ok(beating):
    doc = Client().get("/healthz").json()
    assert doc["worker"]["status"] == "ok" and doc["status"] == "ok"
    assert doc["outbox"] == {"status": "ok", "failed": 0, "overdue": 0}


def test_an_old_heartbeat_is_stale(beating, settings):
    later = timezone.now() + dt.timedelta(seconds=settings.WORKER_STALE_SECONDS + 1)
    status = health.worker_status(later)
    assert status["status"] == "stale" and status["age_seconds"] > settings.WORKER_STALE_SECONDS


def test_a_beat_updates_its_row_and_forget_removes_it(beating):
    health.beat("w1", timezone.now())
    assert WorkerBeat.objects.count() == 1
    health.forget("w1")
    assert not WorkerBeat.objects.exists()


def test_healthz_is_503_when_the_database_is_away(db):
    failing = mock.Mock(side_effect=OperationalError("gone"))
    with mock.patch.dict(site_health._checks, {"worker": failing}):
        page = Client().get("/healthz")
    assert page.status_code == 503 and page.json()["database"] == "unavailable"


def test_the_worker_survives_a_database_outage_and_backs_off():
    calls, sleeps = [], []

    def run():
        calls.append(1)
        if len(calls) <= 4:
            raise OperationalError("server closed the connection unexpectedly")

    reconnects = []
    worker_command.run_resilient(
        run, sleep=sleeps.append, reconnect=lambda: reconnects.append(1), max_backoff=10
    )
    assert len(reconnects) == 4
    assert len(calls) == 5
    assert sleeps == [2.0, 4.0, 8.0, 10.0]


def test_other_errors_are_not_swallowed():
    def run():
        raise ValueError("a bug")

    with pytest.raises(ValueError):
        worker_command.run_resilient(run, sleep=lambda s: None, reconnect=lambda: None)


def test_staff_see_when_no_worker_sends_messages(login, nora):
    page = login(nora).get(reverse("patients:list")).content.decode()
    assert "data-worker-down" in page
    health.beat("w1", timezone.now())
    page = login(nora).get(reverse("patients:list")).content.decode()
    assert "data-worker-down" not in page


def test_the_warning_reads_in_turkish(login, nora):
    page = login(nora).get(reverse("patients:list"), HTTP_ACCEPT_LANGUAGE="tr")
    assert "Mesajlar gönderilmiyor" in page.content.decode()
