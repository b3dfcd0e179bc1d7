"""The portal's message, sent by the outbox (registered in apps.py): the invitation e-mail.

The link carries the invitation's secret, which is stored nowhere: the outbox row keeps
the link with the secret's place empty (TOKEN_SLOT), the task queue only the message's
code, and the secret is derived here, when the e-mail is rendered (see tokens.py). The
copy of the e-mail the outbox keeps has the link withheld. A used, replaced or expired
invitation is not sent.
"""

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from mesoclinic.lib import clinicday
from mesoclinic.lib.language import person_language
from mesoclinic.outbox import kinds

from . import tokens
from .models import Invitation

INVITATION = "invitation"
TOKEN_SLOT = "{secret}"
WITHHELD = "[link withheld]"


def invitation_letter(message) -> kinds.Letter:
    invitation = (
        Invitation.objects.select_related("patient__clinic").filter(pk=message.about_id).first()
    )
    if invitation is None:
        raise kinds.Stale("invitation not found")
    if invitation.used_at or invitation.revoked_at or invitation.expires_at <= timezone.now():
        raise kinds.Stale("invitation used, replaced or expired")
    template = message.params.get("link", "")
    token = tokens.token_for(invitation)
    if token is None or TOKEN_SLOT not in template:
        raise kinds.Undeliverable("the invitation link cannot be made again: invite again")
    link = template.replace(TOKEN_SLOT, token)
    context = {"patient": invitation.patient, "link": link, "invitation": invitation}
    with (
        translation.override(person_language(invitation.patient)),
        clinicday.activated(invitation.patient.clinic),  # "valid until" on the clinic's clock
    ):
        subject = render_to_string("portal/email/invitation_subject.txt", context).strip()
        body = render_to_string("portal/email/invitation.txt", context)
    return kinds.Letter(subject, body, kept_body=body.replace(link, WITHHELD))


def register() -> None:
    kinds.register(INVITATION, label=_("Portal invitation"), render=invitation_letter)
