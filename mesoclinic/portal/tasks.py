"""E-mail of a portal invitation, sent by Django's tasks framework after the commit.

The link carries the invitation's secret, so the task's arguments hold it until the task
has run; the invitation is single-use and expires (PORTAL_INVITATION_HOURS, default 72).
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone

from mesoclinic.lib import clinicday

from .models import Invitation


@task()
def send_invitation(code: str, link: str) -> str:
    invitation = Invitation.objects.select_related("patient__clinic").filter(code=code).first()
    if invitation is None:
        return "missing"
    if invitation.used_at or invitation.revoked_at or invitation.expires_at <= timezone.now():
        return "stale"
    patient = invitation.patient
    if not patient.email:
        return "no address"
    context = {"patient": patient, "link": link, "invitation": invitation}
    with clinicday.activated(patient.clinic):  # "valid until" on the clinic's clock
        subject = render_to_string("portal/email/invitation_subject.txt", context).strip()
        body = render_to_string("portal/email/invitation.txt", context)
    EmailMessage(subject, body, from_email=settings.DEFAULT_FROM_EMAIL, to=[patient.email]).send()
    return "sent"
