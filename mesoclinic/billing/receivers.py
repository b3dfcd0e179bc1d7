"""Package sessions counted as sessions are signed, and recounted when one is amended
(treatments/signals.py sends both after the clinical transaction commits)."""

from django.dispatch import receiver

from mesoclinic.treatments.signals import session_amended, session_signed

from . import actions


@receiver(session_signed, dispatch_uid="billing-count-signed")
def _signed(sender, session, actor, **kwargs):
    session.refresh_from_db()
    actions.count_session(actor, session)


@receiver(session_amended, dispatch_uid="billing-count-amended")
def _amended(sender, session, amendment, actor, **kwargs):
    session.refresh_from_db()
    actions.count_session(actor, session)
