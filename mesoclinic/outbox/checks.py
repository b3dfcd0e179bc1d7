"""System checks for the outbox's settings: they fail loudly at start-up."""

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

from .sms import DEFAULT_BACKEND


def check_settings(app_configs=None, **kwargs):
    errors = []

    path = getattr(settings, "SMS_BACKEND", DEFAULT_BACKEND)
    try:
        import_string(path)
    except ImportError as exc:
        errors.append(
            checks.Error(
                f"SMS_BACKEND {path!r} cannot be imported: {exc}", id="mesoclinic.outbox.E001"
            )
        )
    hours = getattr(settings, "OUTBOX_RETRY_HOURS", 24)
    if not isinstance(hours, int | float) or hours <= 0:
        errors.append(
            checks.Error(
                "OUTBOX_RETRY_HOURS must be a number of hours (> 0)", id="mesoclinic.outbox.E002"
            )
        )
    elif hours < 24:
        errors.append(
            checks.Warning(
                f"OUTBOX_RETRY_HOURS is {hours}: a message fails for good after a mail server "
                "outage shorter than a day. 24 or more is advised.",
                id="mesoclinic.outbox.W002",
            )
        )
    for name in ("OUTBOX_CLAIM_LEASE_SECONDS", "OUTBOX_RETRY_MAX_MINUTES"):
        value = getattr(settings, name, 1)
        if not isinstance(value, int | float) or value <= 0:
            errors.append(
                checks.Error(f"{name} must be a positive number", id="mesoclinic.outbox.E003")
            )
    errors += _site_url()
    # (Only once TASKS is configured: until the settings name a backend, Django's default,
    # the immediate backend, is what the project has chosen so far.)
    backend = getattr(settings, "TASKS", {}).get("default", {}).get("BACKEND", "")
    if (
        settings.is_overridden("TASKS")
        and not settings.DEBUG
        and not backend.startswith("django_tasks_db")
    ):
        errors.append(
            checks.Warning(
                "TASKS['default'] is not the database backend: messages are sent inside web "
                "requests and nothing sweeps for due messages or retries failed ones. Use "
                "django_tasks_db and run `mesoclinic worker`.",
                id="mesoclinic.outbox.W001",
            )
        )
    return errors


def _site_url() -> list:
    """Every link in an e-mail or SMS starts with SITE_URL (lib/links.py)."""
    from urllib.parse import urlsplit

    url = getattr(settings, "SITE_URL", "")
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return [
            checks.Error(
                f"SITE_URL {url!r} is not an address such as https://clinic.example.org: "
                "the links in e-mails and SMS would not open.",
                id="mesoclinic.outbox.E004",
            )
        ]
    if not settings.DEBUG and not getattr(settings, "SITE_URL_IS_SET", True):
        return [
            checks.Warning(
                f"SITE_URL is not set: links in e-mails and SMS point to {url}, which "
                "patients cannot open. Set SITE_URL to the address of this installation.",
                id="mesoclinic.outbox.W003",
            )
        ]
    return []
