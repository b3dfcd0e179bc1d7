"""System checks for scheduling's settings: they fail loudly at start-up."""

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string


def check_settings(app_configs=None, **kwargs):
    errors = []
    from .sms import DEFAULT_BACKEND

    path = getattr(settings, "SMS_BACKEND", DEFAULT_BACKEND)
    try:
        import_string(path)
    except ImportError as exc:
        errors.append(
            checks.Error(
                f"SMS_BACKEND {path!r} cannot be imported: {exc}", id="mesoclinic.scheduling.E001"
            )
        )
    offsets = getattr(settings, "SCHEDULING_REMINDER_MINUTES", (2880, 120))
    if not all(isinstance(m, int) and m > 0 for m in offsets):
        errors.append(
            checks.Error(
                "SCHEDULING_REMINDER_MINUTES must be whole minutes before the appointment (> 0)",
                id="mesoclinic.scheduling.E002",
            )
        )
    step = getattr(settings, "SCHEDULING_SLOT_MINUTES", 15)
    if not (isinstance(step, int) and 5 <= step <= 60 and 60 % step == 0):
        errors.append(
            checks.Error(
                "SCHEDULING_SLOT_MINUTES must divide an hour (5, 10, 15, 20, 30 or 60)",
                id="mesoclinic.scheduling.E003",
            )
        )
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
                "TASKS['default'] is not the database backend: reminders are sent inside web "
                "requests and nothing sweeps for due messages. Use django_tasks_db and run "
                "`mesoclinic worker`.",
                id="mesoclinic.scheduling.W001",
            )
        )
    return errors
