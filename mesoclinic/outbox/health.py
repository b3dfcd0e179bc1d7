"""Is anybody sending the clinic's messages? The workers' heartbeats (WorkerBeat) and the
outbox's backlog, for /healthz and the staff's navigation. No patient data is read."""

import datetime as dt
import os
import socket

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.utils import timezone

from .models import Message, MessageStatus, WorkerBeat

CACHE_KEY = "mesoclinic:worker-status"
CACHE_SECONDS = 10


def beat(worker_id: str, started_at: dt.datetime) -> None:
    """The worker is alive now (called by `mesoclinic worker` every few seconds)."""
    cache.delete(CACHE_KEY)
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "beat_at": timezone.now(),
        },
    )


def forget(worker_id: str) -> None:
    """A worker that stops cleanly takes its heartbeat with it."""
    cache.delete(CACHE_KEY)
    WorkerBeat.objects.filter(worker_id=worker_id).delete()


def worker_status(now: dt.datetime | None = None) -> dict:
    """`ok` when a worker beat within WORKER_STALE_SECONDS, `stale` when the last beat is
    older, `none` when no worker ever beat; with the last beat and its age in seconds."""
    now = now or timezone.now()
    last = WorkerBeat.objects.aggregate(last=Max("beat_at"))["last"]
    if last is None:
        return {"status": "none", "last_beat": None, "age_seconds": None}
    age = max(0, int((now - last).total_seconds()))
    status = "ok" if age <= settings.WORKER_STALE_SECONDS else "stale"
    return {"status": status, "last_beat": last.isoformat(), "age_seconds": age}


def cached_worker_status() -> str:
    """The worker's status for every staff page, read from the database at most every
    CACHE_SECONDS per process (the navigation must not cost a query per page)."""
    status = cache.get(CACHE_KEY)
    if status is None:
        status = worker_status()["status"]
        cache.set(CACHE_KEY, status, CACHE_SECONDS)
    return status


def outbox_status(now: dt.datetime | None = None) -> dict:
    """Messages that could not be sent (not yet handled by staff) and messages due more than
    WORKER_STALE_SECONDS ago that nobody has tried yet: both mean patients are not told."""
    now = now or timezone.now()
    overdue_since = now - dt.timedelta(seconds=settings.WORKER_STALE_SECONDS)
    counts = {
        "failed": Message.objects.filter(
            status=MessageStatus.FAILED, handled_at__isnull=True
        ).count(),
        "overdue": Message.objects.filter(
            status=MessageStatus.PENDING, attempts=0, due_at__lt=overdue_since
        ).count(),
    }
    return {"status": "ok" if not any(counts.values()) else "attention", **counts}
