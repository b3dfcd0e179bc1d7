from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "mesoclinic.followup"
    verbose_name = _("Follow-up, side effects and outcomes")

    def ready(self) -> None:
        from . import chart  # noqa: F401  (registers the chart panel)
