"""`mesoclinic worker`: run background tasks (Django's tasks framework, database backend).

It is django-tasks-db's worker with one addition: a sweep of the outbox (every message:
reminders, aftercare, invitations, on-call alerts) is enqueued at start and then every
--sweep-every seconds (unless one is already waiting), so messages fall due even if their
own deferred task was lost, failed sends are retried after their back-off, and messages a
dead worker had claimed are sent once their lease expires. With --batch it enqueues one
sweep, runs every ready task, and exits.

It writes a heartbeat every --heartbeat seconds (outbox/health.py: /healthz and the staff's
navigation say when it stops). A lost database or mail server does not end it: it logs,
waits (2, 4, 8... seconds, at most a minute) and carries on where it was.

Stop it with Ctrl+C or SIGTERM: the task in hand is finished first. A worker killed
outright (SIGKILL, power loss) leaves its task marked RUNNING; the messages it was
sending are retried by the next sweep (see mesoclinic/outbox/README.md).
"""

import contextlib
import logging
import threading
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string

from mesoclinic.outbox import health

log = logging.getLogger("mesoclinic.worker")
SWEEP = "mesoclinic.outbox.tasks.sweep_messages"


def enqueue_sweep() -> None:
    """One sweep waiting in the queue is enough."""
    from django_tasks_db.models import DBTaskResult

    from mesoclinic.outbox.tasks import sweep_messages

    if not DBTaskResult.objects.filter(status="READY", task_path=SWEEP).exists():
        sweep_messages.enqueue()


def _sweeper(stop: threading.Event, every: float) -> None:
    while not stop.wait(every):
        try:
            enqueue_sweep()
        except Exception:  # noqa: BLE001 - a locked or lost database: try next time
            log.exception("could not enqueue the message sweep")
        finally:
            connection.close()


def _heart(stop: threading.Event, every: float, worker_id: str, started) -> None:
    while True:
        try:
            health.beat(worker_id, started)
        except Exception:  # noqa: BLE001 - the database is away: the beat goes stale
            log.warning("could not write the worker's heartbeat")
        finally:
            connection.close()
        if stop.wait(every):
            return


def _reconnect() -> None:
    """Drop the broken connection; the next query opens a new one."""
    with contextlib.suppress(DatabaseError):
        close_old_connections()
        connection.close()


def run_resilient(
    run, *, sleep=time.sleep, reconnect=_reconnect, max_backoff: float = 60.0, stop=None
) -> None:
    """Call `run()` until it returns; a database error (the server restarting, the network
    gone) is logged and retried after a back-off that doubles up to `max_backoff`."""
    backoff = 2.0
    while True:
        try:
            run()
            return
        except DatabaseError as exc:
            log.warning("database unavailable (%s); retrying in %.0f s", exc, backoff)
            reconnect()
            if stop is not None and stop.is_set():
                return
            sleep(backoff)
            backoff = min(backoff * 2, max_backoff)


class Command(BaseCommand):
    help = "Run background tasks: send every message (e-mail, SMS), retry, thumbnails."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="run what is due, then exit")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between polls when idle"
        )
        parser.add_argument(
            "--sweep-every", type=float, default=60.0, help="seconds between message sweeps"
        )
        parser.add_argument(
            "--heartbeat", type=float, default=10.0, help="seconds between heartbeats"
        )
        parser.add_argument("--queue-name", default="default")
        parser.add_argument("--worker-id", default="")

    def handle(
        self, *args, batch, interval, sweep_every, heartbeat, queue_name, worker_id, **options
    ):
        from django.apps import apps
        from django.tasks import task_backends

        try:
            from django_tasks_db.backend import DatabaseBackend
        except ImportError as exc:  # pragma: no cover - a broken install
            raise CommandError(f"django-tasks-db is not installed: {exc}") from None
        if not isinstance(task_backends["default"], DatabaseBackend) or not apps.is_installed(
            "django_tasks_db"
        ):
            raise CommandError(
                'TASKS["default"] must use django_tasks_db.DatabaseBackend (and django_tasks_db '
                "be in INSTALLED_APPS) for a worker; with the immediate backend tasks already "
                "run in the web process."
            )
        from django_tasks_db.management.commands.db_worker import Worker

        worker_id = worker_id or get_random_string(32)
        worker = Worker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        worker.configure_signals()
        stop = threading.Event()
        run_resilient(enqueue_sweep, stop=stop)
        if not batch:
            threading.Thread(target=_sweeper, args=(stop, sweep_every), daemon=True).start()
            threading.Thread(
                target=_heart, args=(stop, heartbeat, worker_id, timezone.now()), daemon=True
            ).start()
        try:
            run_resilient(worker.run, stop=stop)
        finally:
            stop.set()
            if not batch:
                with contextlib.suppress(DatabaseError):
                    health.forget(worker_id)
