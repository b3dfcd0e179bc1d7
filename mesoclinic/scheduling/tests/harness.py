"""A throw-away database of the same kind as the test run's (a SQLite file, or a new
PostgreSQL database on the same server), migrated and used by real subprocesses: the
worker, and concurrent writers that must not share pytest's in-memory SQLite."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

from django.db import connection

SETTINGS = "mesoclinic.scheduling.tests.worker_settings"


class Scratch:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.pg_name = None
        if connection.vendor == "postgresql":
            self.pg_name = f"mesoclinic_scratch_{uuid.uuid4().hex[:10]}"
            s = connection.settings_dict
            self.server = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
            self._admin(f"CREATE DATABASE {self.pg_name}")
            self.url = f"{self.server}/{self.pg_name}"
        else:
            self.url = f"sqlite:///{tmp / 'scratch.sqlite3'}"
        self.env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "MESOCLINIC_VAR_DIR": str(tmp / "var"),
            "TEST_SMS_FILE": str(tmp / "sms.jsonl"),
            "TEST_SMS_MARKER": str(tmp / "hanging"),
            "TEST_MAIL_DIR": str(tmp / "mail"),
            "PYTHONPATH": str(Path(__file__).resolve().parents[3]),
        }
        self.manage("migrate", "--noinput")

    def _admin(self, sql: str) -> None:
        import psycopg

        s = connection.settings_dict
        with psycopg.connect(
            host=s["HOST"] or "127.0.0.1",
            port=s["PORT"] or 5432,
            user=s["USER"],
            dbname="postgres",
            autocommit=True,
        ) as conn:
            conn.execute(sql)

    def manage(self, *args: str, **kw) -> subprocess.CompletedProcess:
        return self.python("-m", "mesoclinic", *args, **kw)

    def python(self, *args: str, env: dict | None = None, timeout: float = 120):
        proc = subprocess.run(
            [sys.executable, *args],
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if proc.returncode != 0:
            raise AssertionError(f"{args} failed:\n{proc.stdout}\n{proc.stderr}")
        return proc

    def popen(self, *args: str, env: dict | None = None) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "mesoclinic", *args],
            env={**self.env, **(env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def close(self) -> None:
        if self.pg_name:
            self._admin(f"DROP DATABASE IF EXISTS {self.pg_name} WITH (FORCE)")
