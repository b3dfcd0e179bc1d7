from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "mesoclinic.scheduling"
    verbose_name = _("Scheduling")

    def ready(self) -> None:
        from .checks import check_settings

        checks.register(check_settings, "mesoclinic")
