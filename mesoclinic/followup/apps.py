from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "mesoclinic.followup"
    verbose_name = _("Follow-up, side effects and outcomes")

    def ready(self) -> None:
        from . import chart, messages  # noqa: F401  (chart registers the chart panel)

        messages.register()  # the aftercare e-mail and the on-call alert, sent by the outbox
