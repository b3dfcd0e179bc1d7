"""Issue 14: `mesoclinic check --deploy` is clean with the documented production
environment (deploy/env.example), files and folders moved to a temporary place."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "deploy" / "env.example"


def documented_env() -> dict[str, str]:
    env = {}
    for line in EXAMPLE.read_text().splitlines():
        line = line.split("  #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        env[key.strip()] = value.strip()
    return env


def test_env_example_names_the_production_settings():
    env = documented_env()
    for key in ("DEBUG", "ALLOWED_HOSTS", "SITE_URL", "SECURE_PROXY_SSL_HEADER", "DATABASE_URL"):
        assert key in env, key
    assert env["DEBUG"] == "False"


def test_check_deploy_is_clean_with_the_documented_environment(tmp_path):
    env = documented_env()
    secret = tmp_path / "secret_key"
    secret.write_text(secrets.token_urlsafe(64))
    smtp = tmp_path / "smtp_password"
    smtp.write_text("not-a-real-password")
    for key, value in list(env.items()):
        if value.startswith(("/var/", "/etc/")):
            env[key] = str(tmp_path / value.strip("/").replace("/", "_"))
    env["SECRET_KEY_FILE"] = str(secret)
    env["EMAIL_HOST_PASSWORD_FILE"] = str(smtp)
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    run = subprocess.run(
        [sys.executable, "-m", "mesoclinic", "check", "--deploy", "--fail-level", "WARNING"],
        env={**base, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no issues" in run.stdout, run.stdout + run.stderr
