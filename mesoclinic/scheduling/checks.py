"""System checks for scheduling's settings: they fail loudly at start-up."""

from django.conf import settings
from django.core import checks


def check_settings(app_configs=None, **kwargs):
    errors = []
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
    return errors
