"""Production smoke test: the documented gunicorn configuration (deploy/gunicorn.conf.py),
DEBUG=False, two application servers on one PostgreSQL database; a physician signs in on
one, starts a session on the other, charts a point and signs it off across both."""

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG = "postgresql://postgres@127.0.0.1:5432/postgres"
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def database():
    name = f"mesoclinic_smoke_{os.getpid()}"
    try:
        admin = psycopg.connect(PG, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL at 127.0.0.1:5432 is needed for the smoke test: {exc}")
    admin.execute(f"DROP DATABASE IF EXISTS {name}")
    admin.execute(f"CREATE DATABASE {name}")
    yield f"postgres://postgres@127.0.0.1:5432/{name}"
    admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.close()


def test_two_gunicorn_servers_on_one_database_sign_a_session(database, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "DEBUG": "False",
        "SECRET_KEY": "smoke-test-secret-key-not-for-production-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "False",  # plain http on loopback; a proxy does TLS in production
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
        "SECURE_HSTS_SECONDS": "0",
        "MESOCLINIC_VAR_DIR": str(tmp_path / "var"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DJANGO_SETTINGS_MODULE": "mesoclinic.settings",
        "PYTHONPATH": str(ROOT),
        "WEB_WORKERS": "1",
    }
    env.pop("DJANGO_LIVE_TEST_SERVER_ADDRESS", None)

    def run(*args):
        done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    run(str(BIN / "mesoclinic"), "migrate", "--noinput")
    run(str(BIN / "mesoclinic"), "collectstatic", "--noinput")
    seed = json.loads(run(sys.executable, str(ROOT / "tests" / "deploy" / "seed_smoke.py")))
    ports = [_free_port(), _free_port()]
    servers = [
        subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
            env={**env, "BIND": f"127.0.0.1:{port}"},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    try:
        a, b = (f"http://127.0.0.1:{port}" for port in ports)
        for base in (a, b):
            _wait_healthy(base)
        jar = http.cookiejar.CookieJar()  # cookies are per host, so both servers share them
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)

        def call(method, url, data=None):
            token = next((c.value for c in jar if c.name == "csrftoken"), "")
            body = urllib.parse.urlencode(data or {}).encode() if method == "POST" else None
            request = urllib.request.Request(url, data=body, method=method)
            request.add_header("X-CSRFToken", token)
            try:
                with opener.open(request, timeout=30) as response:
                    return response.status, response.headers, response.read().decode()
            except urllib.error.HTTPError as exc:
                return exc.code, exc.headers, exc.read().decode()

        status, _, html = call("GET", f"{a}/accounts/login")
        assert status == 200 and "no-store" not in html
        status, headers, _ = call(
            "POST", f"{a}/accounts/login", {"username": "alice", "password": seed["password"]}
        )
        assert status == 302, "sign-in on server A"
        status, headers, _ = call("POST", f"{b}/treatments/plans/{seed['plan']}/start")
        assert status == 302 and "/sessions/" in headers["Location"], "session started on B"
        session = re.search(r"/sessions/([0-9a-f-]{36})/", headers["Location"]).group(1)
        point = {
            "stage": "1",
            "view": "front",
            "x": "50",
            "y": "20",
            "zone": "forehead",
            "technique": "papules",
            "depth_mm": "1.0",
            "volume_ml": "0.05",
            "lot": seed["lot"],
        }
        status, headers, html = call("POST", f"{a}/treatments/sessions/{session}/points", point)
        assert status == 200, html[-1500:]
        status, headers, _ = call("GET", f"{b}/treatments/sessions/{session}/")
        assert status == 200 and "no-store" in headers["Cache-Control"]
        status, headers, _ = call("POST", f"{b}/treatments/sessions/{session}/sign")
        assert status == 302
        status, _, html = call("GET", f"{a}/treatments/sessions/{session}/")
        assert status == 200
        with psycopg.connect(database.replace("postgres://", "postgresql://")) as db:
            signed = db.execute(
                "SELECT signed_at IS NOT NULL FROM treatments_treatmentsession WHERE code = %s",
                (session,),
            ).fetchone()
        assert signed == (True,), "the session is signed in the shared database"
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()


def _wait_healthy(base: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=20) as response:
                doc = json.loads(response.read())
                assert doc["database"] == "ok"
                return
        except OSError:  # not listening yet, or still loading
            time.sleep(0.5)
    raise AssertionError(f"{base} did not become healthy")
