"""The staff invitation e-mail, sent by the outbox. The row keeps the link with the
secret's place empty; the secret is derived when the e-mail is rendered, and the copy the
outbox keeps has the link withheld."""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from mesoclinic.lib import clinicday
from mesoclinic.outbox import kinds

from . import tokens
from .models import StaffInvitation

STAFF_INVITATION = "staff_invitation"
TOKEN_SLOT = "{secret}"
WITHHELD = "[link withheld]"


def invitation_letter(message) -> kinds.Letter:
    invitation = StaffInvitation.objects.select_related("clinic").filter(pk=message.about_id)
    invitation = invitation.first()
    if invitation is None or not invitation.open:
        raise kinds.Stale("staff invitation used, replaced or expired")
    token = tokens.token_for(invitation)
    template = message.params.get("link", "")
    if token is None or TOKEN_SLOT not in template:
        raise kinds.Undeliverable("the invitation link cannot be made again: invite again")
    link = template.replace(TOKEN_SLOT, token)
    context = {"invitation": invitation, "clinic": invitation.clinic, "link": link}
    language = message.params.get("language") or "en"
    with translation.override(language), clinicday.activated(invitation.clinic):
        subject = render_to_string("staff/email/invitation_subject.txt", context).strip()
        body = render_to_string("staff/email/invitation.txt", context)
    return kinds.Letter(subject, body, to=invitation.email, kept_body=body.replace(link, WITHHELD))


def register() -> None:
    kinds.register(STAFF_INVITATION, label=_("Staff invitation"), render=invitation_letter)
