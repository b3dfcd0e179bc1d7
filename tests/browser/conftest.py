"""Browser tests: Debian's Chromium driven by Playwright against Django's live server.

Screenshots of every page visited are saved in artifacts/screenshots/ (look at them).
"""

import os
import re
import shutil
import threading
import time
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

os.environ.setdefault(
    "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
)  # Playwright's sync API runs an event loop

CHROMIUM = os.getenv("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _SerialWSGIServer(ThreadedWSGIServer):
    """The live server, handling one request at a time.

    On SQLite in memory the live server's threads share one database connection; the
    chart's lazy panels ask for several parts at once, and two threads on one sqlite3
    connection fail with "bad parameter or other API misuse". In production each worker
    has its own connection, so only the test server needs this. The lock covers the
    application (every query of the request); the body is sent outside it."""

    _lock = threading.Lock()

    def set_app(self, application):
        lock = self._lock

        def serial(environ, start_response):
            with lock:
                return application(environ, start_response)

        super().set_app(serial)


LiveServerThread.server_class = _SerialWSGIServer
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (see .ci/run)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(
        viewport={"width": 1180, "height": 820}, locale="en-GB"
    )  # a tablet in landscape
    pg = context.new_page()
    pg.set_default_timeout(15000)
    errors = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    # CSP violations and script errors count; a deliberate 400 on a bad form does not (nor
    # a status a test adds to pg.expected_statuses, such as a refused page's 403)
    pg.expected_statuses = {400}
    pg.on(
        "console",
        lambda msg: (
            errors.append(f"{msg.text} @ {msg.location}")
            if msg.type == "error"
            and not any(
                msg.text.startswith(
                    f"Failed to load resource: the server responded with a status of {status}"
                )
                for status in pg.expected_statuses
            )
            else None
        ),
    )
    pg.base = live_server.url
    yield pg
    context.close()
    _wait_for_requests_in_flight()
    assert not errors, f"browser errors: {errors}"


def _wait_for_requests_in_flight(timeout: float = 10.0) -> None:
    """Let the live server finish every request the closed page had started.

    On SQLite in memory the live server's threads share the test's connection, so a request
    still being handled when the test database is flushed writes rows that refer to rows
    already deleted (FOREIGN KEY constraint failed at the flush's commit), and the next
    test then starts on an unflushed database. Django's threaded server makes its request
    threads daemons and does not track them, so they are found by their target's name."""
    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and "process_request_thread" in thread.name:
            thread.join(max(0.0, deadline - time.monotonic()))


def shot(page, name: str) -> Path:
    """Save a full-page screenshot under artifacts/screenshots/."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / (re.sub(r"[^a-z0-9-]+", "-", name.lower()) + ".png")
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, username: str, password: str) -> None:
    page.goto(page.base + "/accounts/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/patients/|/scheduling/desk|/home/"))  # the staff home per role
