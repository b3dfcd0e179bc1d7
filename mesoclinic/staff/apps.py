from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "mesoclinic.staff"
    label = "staff"
    verbose_name = _("Staff and set-up")

    def ready(self) -> None:
        from . import messages

        messages.register()  # the staff invitation e-mail, sent by the outbox
