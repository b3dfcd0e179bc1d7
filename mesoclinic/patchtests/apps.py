from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatchTestsConfig(AppConfig):
    name = "mesoclinic.patchtests"
    verbose_name = _("Patch tests")

    def ready(self):
        from . import chart  # noqa: F401  (registers the chart panel)
