from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from mesoclinic.accounts.actor import Actor
from mesoclinic.accounts.middleware import client_ip
from mesoclinic.accounts.models import Membership
from mesoclinic.accounts.signals import clinic_changed

from .actions import add, clean_ip, record
from .models import AuditEvent


def _request_meta(request):
    if request is None:
        return None, ""
    return clean_ip(client_ip(request)), request.META.get("HTTP_USER_AGENT", "")[:300]


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    ip, agent = _request_meta(request)
    actor = Actor.for_user(user, ip, agent)
    add(
        AuditEvent(
            clinic=actor.clinic if actor else None,
            user=user,
            username=user.username,
            role=actor.role if actor else "",
            action="login",
            ip=ip,
            user_agent=agent,
        )
    )


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is None:
        return
    ip, agent = _request_meta(request)
    add(AuditEvent(user=user, username=user.username, action="logout", ip=ip, user_agent=agent))


def _clinic_of(username: str):
    """The clinic of the account a failed sign-in named, so the clinic's admin sees it in
    the clinic's audit (None for an unknown name)."""
    membership = Membership.objects.filter(user__username=username).select_related("clinic").first()
    return membership.clinic if membership else None


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    ip, agent = _request_meta(request)
    username = str(credentials.get("username", ""))[:150]
    add(
        AuditEvent(
            clinic=_clinic_of(username),
            username=username,
            action="login_failed",
            ip=ip,
            user_agent=agent,
        )
    )


@receiver(user_locked_out)
def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    username = (username or "")[:150]
    add(
        AuditEvent(
            clinic=_clinic_of(username),
            username=username,
            action="locked_out",
            ip=clean_ip(ip_address),
        )
    )


@receiver(clinic_changed)
def on_clinic_changed(sender, actor, clinic, changed, **kwargs):
    record(
        actor,
        "update",
        clinic,
        summary="clinic settings: " + ", ".join(sorted(changed)),
        detail={"changed": changed},
    )
