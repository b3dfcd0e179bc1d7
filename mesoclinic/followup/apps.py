from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "mesoclinic.followup"
    verbose_name = _("Follow-up, side effects and outcomes")

    def ready(self) -> None:
        from mesoclinic.treatments import signals
        from mesoclinic.treatments.gate import register_check

        from . import actions, chart, gate_checks, messages  # noqa: F401  (chart registers the chart panel)

        register_check(gate_checks.side_effect_items)  # 6. no open urgent side effect
        signals.session_signing.connect(  # the aftercare sheet and check-ins, at sign-off
            actions.store_aftercare_at_sign_off, dispatch_uid="followup.aftercare"
        )

        messages.register()  # the aftercare e-mail and the on-call alert, sent by the outbox
