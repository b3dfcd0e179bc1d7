from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "mesoclinic.scheduling"
    verbose_name = _("Scheduling")

    def ready(self) -> None:
        from mesoclinic.outbox import kinds

        from . import actions, texts, waitlist
        from .checks import check_settings
        from .models import Kind

        checks.register(check_settings, "mesoclinic")
        actions.register_slot_offer(waitlist.offer_slot)  # a cancelled slot goes to the list
        for kind in Kind:
            kinds.register(kind.value, label=kind.label, render=texts.letter)
