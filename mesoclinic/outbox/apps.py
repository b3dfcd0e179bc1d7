from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "mesoclinic.outbox"
    verbose_name = _("Outbox")

    def ready(self) -> None:
        from mesoclinic.lib import health as site_health

        from . import health
        from .checks import check_settings

        checks.register(check_settings, "mesoclinic")
        site_health.register("worker", health.worker_status)
        site_health.register("outbox", health.outbox_status)
