from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "mesoclinic.portal"
    verbose_name = _("Patient portal")

    def ready(self) -> None:
        from . import messages

        messages.register()  # the invitation e-mail, sent by the outbox
