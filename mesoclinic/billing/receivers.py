"""Package sessions counted as sessions are signed, and recounted when one is amended
(treatments/signals.py sends both after the clinical transaction has committed).

The clinical record is already saved when these run: a failure here is logged and leaves
the session to count by hand (it shows in "sessions to invoice"), never an error page for
the clinician who signed."""

import logging

from django.dispatch import receiver

from mesoclinic.treatments.signals import session_amended, session_signed

from . import actions

log = logging.getLogger(__name__)


def _count(actor, session) -> None:
    try:
        session.refresh_from_db()
        actions.count_session(actor, session)
    except Exception:  # noqa: BLE001 - see the module docstring
        log.exception("package count failed for session %s", session.code)


@receiver(session_signed, dispatch_uid="billing-count-signed")
def _signed(sender, session, actor, **kwargs):
    _count(actor, session)


@receiver(session_amended, dispatch_uid="billing-count-amended")
def _amended(sender, session, amendment, actor, **kwargs):
    _count(actor, session)
