from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "mesoclinic.outbox"
    verbose_name = _("Outbox")

    def ready(self) -> None:
        from .checks import check_settings

        checks.register(check_settings, "mesoclinic")
