from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "mesoclinic.consent"
    verbose_name = _("Consent")

    def ready(self):
        from . import chart  # noqa: F401  (registers the chart panel)
