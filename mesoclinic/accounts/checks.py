"""System checks of the accounts app."""

from django.core import checks

from mesoclinic.lib import clinicday

from .models import Clinic


@checks.register(checks.Tags.database)
def check_clinic_time_zones(app_configs=None, **kwargs):
    """A stored clinic time zone that is not a zone (the app falls back to TIME_ZONE and
    logs it, but the clinic's dates are then wrong): name each one. Runs with the
    database checks (`mesoclinic check --database default`, `migrate`)."""
    from django.db.utils import DatabaseError

    try:
        rows = list(Clinic.objects.values_list("code", "name", "timezone"))
    except DatabaseError:  # not migrated yet: nothing stored to check
        return []
    return [
        checks.Warning(
            f"Clinic {name!r} ({code}) has the time zone {zone!r}, which is not a time zone: "
            f"its dates use {clinicday.default_zone().key} until it is corrected.",
            hint="Set a zone such as Europe/Istanbul on the clinic settings page.",
            obj=f"clinic {code}",
            id="mesoclinic.accounts.W001",
        )
        for code, name, zone in rows
        if not clinicday.is_zone(zone)
    ]
