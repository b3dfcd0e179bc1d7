"""Two-factor sign-in for staff: a TOTP app (django-otp) with single-use recovery codes
(django-otp's static tokens).

After the password, a person with a confirmed device is asked for a code before any page
opens; a person whose role the clinic requires two-factor for (Clinic.two_factor_roles)
and who has no device yet is sent to enrolment. A wrong code counts as a failed sign-in:
it is audited and counts towards the same per-account, per-address and per-pair lockouts
as a wrong password (django-axes and accounts.security), and at the limit the person is
signed out."""

import datetime as dt
import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from mesoclinic.accounts.security import sign_in_refusal
from mesoclinic.audit.actions import record

RECOVERY_CODES = 10
CHECKED_KEY = "two_factor_checked"  # when a person was last found neither enrolled nor required
RECHECK_SECONDS = 60
OPEN_PATHS = ("/staff/two-factor", "/accounts/logout", "/static/", "/i18n/", "/healthz")


def enrolled(user) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def required(user) -> bool:
    membership = getattr(user, "membership", None)
    return bool(
        membership
        and membership.is_active
        and membership.role in (membership.clinic.two_factor_roles or [])
    )


def pending_device(user) -> TOTPDevice:
    """The TOTP device being enrolled (a new secret until it is confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="app", confirmed=False)


@transaction.atomic
def confirm(request, actor, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm enrolment with a first code from the app: the device is confirmed, ten new
    recovery codes are made (returned once, to show), the session counts as verified."""
    token = "".join(token.split())
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user=device.user).delete()
    static = StaticDevice.objects.create(user=device.user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    otp_login(request, device)
    record(actor, "two_factor_enrolled", device.user, summary="two-factor sign-in set up")
    return codes


def verify(request, token: str) -> bool:
    """Check a code from the app (six digits) or a recovery code (used up). A wrong code
    is a failed sign-in (audit, lockout)."""
    user = request.user
    token = "".join(token.split())
    kinds = (TOTPDevice,) if token.isdigit() and len(token) == 6 else (StaticDevice,)
    for device in devices_for_user(user, confirmed=True, for_verify=True):
        if isinstance(device, kinds) and device.verify_token(token):
            otp_login(request, device)
            return True
    user_login_failed.send(
        sender=__name__, credentials={"username": user.username}, request=request
    )
    return False


def locked(request) -> str | None:
    """Why this person may not try again, signing them out; or None. The sign-in limits
    (per account, per address, per pair) apply, and on their own the second factor's
    failures: LOGIN_FAILURE_LIMIT wrong codes on a device within the lockout window lock
    the account even though each correct password resets the password's count."""
    from axes.handlers.proxy import AxesProxyHandler

    user = request.user
    reason = sign_in_refusal(request, user.username)
    if reason is None and AxesProxyHandler.is_locked(request, {"username": user.username}):
        reason = "locked"
    since = timezone.now() - dt.timedelta(hours=settings.AXES_COOLOFF_TIME)
    for device in devices_for_user(user, confirmed=True):
        if (
            device.throttling_failure_count >= settings.AXES_FAILURE_LIMIT
            and device.throttling_failure_timestamp
            and device.throttling_failure_timestamp >= since
        ):
            reason = "locked"
    if reason:
        logout(request)
    return reason


def clear_failures(user) -> None:
    """The clinic admin's unlock clears the second factor's failures too."""
    for device in devices_for_user(user, confirmed=True):
        device.throttle_reset()


@transaction.atomic
def reset(actor, user) -> None:
    """A clinic admin removes a person's second factor (a lost phone): they enrol again."""
    actor.require("manage_staff")
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    record(actor, "two_factor_reset", user, summary="two-factor sign-in removed")


class TwoFactorMiddleware:
    """Staff with a device verify it after the password; staff whose role requires it
    enrol first. Nothing else opens until then."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(OPEN_PATHS)
        ):
            target = None
            checked = request.session.get(CHECKED_KEY, 0)
            if time.time() - checked < RECHECK_SECONDS:
                pass  # neither enrolled nor required a moment ago: no queries on each request
            elif enrolled(user):
                target = reverse("staff:two_factor_verify")
            elif required(user):
                target = reverse("staff:two_factor_setup")
            else:
                request.session[CHECKED_KEY] = int(time.time())
            if target:
                if request.headers.get("HX-Request"):  # a poll: nothing, and go there
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = target
                    return response
                return redirect(f"{target}?next={request.get_full_path()}")
        return self.get_response(request)
