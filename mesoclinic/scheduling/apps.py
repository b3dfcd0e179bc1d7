from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "mesoclinic.scheduling"
    verbose_name = _("Scheduling")

    def ready(self) -> None:
        from mesoclinic.outbox import kinds

        from . import texts
        from .checks import check_settings
        from .models import Kind

        checks.register(check_settings, "mesoclinic")
        for kind in Kind:
            kinds.register(kind.value, label=kind.label, render=texts.letter)
