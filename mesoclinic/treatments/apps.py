from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TreatmentsConfig(AppConfig):
    name = "mesoclinic.treatments"
    verbose_name = _("Treatment plans and sessions")

    def ready(self) -> None:
        from mesoclinic.screening.actions import register_class_history

        from . import access, chart  # noqa: F401  (chart registers the chart panel)

        register_class_history(access.last_class_sessions)  # screening's interval rule
