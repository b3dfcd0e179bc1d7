from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "mesoclinic.screening"
    verbose_name = _("Screening")

    def ready(self):
        from . import chart  # noqa: F401  (registers the chart panel)
