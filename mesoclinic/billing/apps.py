from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "mesoclinic.billing"
    verbose_name = _("Billing")

    def ready(self):
        from . import chart, receivers  # noqa: F401 (registers the chart panel and the hooks)
