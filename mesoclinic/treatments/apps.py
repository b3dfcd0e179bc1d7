from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TreatmentsConfig(AppConfig):
    name = "mesoclinic.treatments"
    verbose_name = _("Treatment plans and sessions")

    def ready(self) -> None:
        from . import chart  # noqa: F401  (registers the chart panel)
