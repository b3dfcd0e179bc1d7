from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo clinic (`mesoclinic demo`): no models, only data built through the actions."""

    name = "mesoclinic.demo"
    verbose_name = _("Demo clinic")
