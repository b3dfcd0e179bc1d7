"""Request-level protections: the client's address behind trusted proxies, a body size
limit checked before anything reads the body, an idle timeout that only the user's own
actions restart, no caching of signed-in pages, and sign-in limits per account and per
address on top of django-axes' per (account, address) lockout, and a limit on password
reset links per e-mail address and per client address."""

import datetime as dt
import hashlib
import ipaddress
import math
import time

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import logout
from django.core.cache import cache
from django.db.models import Sum
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from mesoclinic.lib.refusals import refused_page

IDLE_KEY = "last_action"
IDLE_RENEW_SECONDS = 60  # the idle clock is renewed at most this often (no session write per read)


def _networks():
    return [ipaddress.ip_network(item, strict=False) for item in settings.TRUSTED_PROXIES]


def _is_trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request) -> str | None:
    """The client's address. X-Forwarded-For is read only when the request comes from a
    configured proxy (TRUSTED_PROXIES), and then from the right: the first address that is
    not one of our proxies is the client (anything further left can be forged)."""
    remote = request.META.get("REMOTE_ADDR") or None
    networks = _networks()
    if not remote or not networks or not _is_trusted(remote, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # a malformed header: fall back to the proxy itself
    return remote


def background_poll(view):
    """Marks a view that pages call by themselves (a badge polled every 30 s): it does
    not count as the user's action, so it never keeps an idle session alive."""
    view.background_poll = True
    return view


class RequestSizeLimitMiddleware:
    """Refuses a request whose declared body is larger than allowed before anything reads
    it (413): REQUEST_MAX_BYTES for signed-in users (one photo and the form around it),
    ANONYMOUS_REQUEST_MAX_BYTES for everyone else (the sign-in form needs a few hundred
    bytes)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(declared)
        except ValueError:
            length = -1
        signed_in = request.user.is_authenticated
        limit = settings.REQUEST_MAX_BYTES if signed_in else settings.ANONYMOUS_REQUEST_MAX_BYTES
        if length < 0 or length > limit:
            reason = (
                _("The request is too large: at most %(mb)s MB can be sent at once.")
                % {"mb": f"{limit / (1024 * 1024):.1f}"}
                if length >= 0
                else _("The request's length is not a number.")
            )
            return refused_page(
                request,
                [reason],
                status=413 if length >= 0 else 400,
                title=_("Too large") if length >= 0 else "",
            )
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Signs a user out after SESSION_IDLE_MINUTES without an action of their own. Each
    request to a view not marked `background_poll` records the time in the session (which
    also renews the session's expiry); background polls read but never renew it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            last = request.session.get(IDLE_KEY)
            if last is not None and time.time() - last > settings.SESSION_COOKIE_AGE:
                logout(request)
                if request.headers.get("HX-Request"):
                    response = self.get_response(request)  # the poll answers "nothing"
                    response["HX-Redirect"] = reverse(settings.LOGIN_URL)
                    return response
                return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.user.is_authenticated and not getattr(view_func, "background_poll", False):
            # Renewed at most once a minute: a read page does not write the session on
            # every request (issue 18); the idle limit keeps a minute's precision.
            now = int(time.time())
            last = request.session.get(IDLE_KEY)
            if last is None or now - last >= IDLE_RENEW_SECONDS:
                request.session[IDLE_KEY] = now
        return


class NoStoreMiddleware:
    """Pages for a signed-in person (patient data) are never stored by a browser or proxy
    cache: Cache-Control: no-store, private."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/portal"):
            add_never_cache_headers(response)
            response["Cache-Control"] += ", private"
        return response


def sign_in_refusal(request, username: str) -> str | None:
    """Why a sign-in is refused before the password is even checked, or None: too many
    failures for this account from any address (LOGIN_ACCOUNT_FAILURE_LIMIT), or from this
    address for any account (LOGIN_IP_FAILURE_LIMIT), within the lockout window. django-axes
    locks each (account, address) pair after LOGIN_FAILURE_LIMIT on its own."""
    since = timezone.now() - dt.timedelta(hours=settings.AXES_COOLOFF_TIME)
    recent = AccessAttempt.objects.filter(attempt_time__gte=since)
    minutes = round(settings.AXES_COOLOFF_TIME * 60)

    def failures(**where) -> int:
        total = recent.filter(**where).aggregate(n=Sum("failures_since_start"))["n"]
        return total or 0

    if username and failures(username=username) >= settings.LOGIN_ACCOUNT_FAILURE_LIMIT:
        return _(
            "This account is locked for %(minutes)s minutes after repeated failed sign-ins. "
            "Ask your clinic admin to unlock it."
        ) % {"minutes": minutes}
    ip = client_ip(request)
    if ip and failures(ip_address=ip) >= settings.LOGIN_IP_FAILURE_LIMIT:
        return _(
            "Too many failed sign-ins from this network. Try again in %(minutes)s minutes."
        ) % {"minutes": minutes}
    return None


RESET_KEY = "mesoclinic:password-reset:{kind}:{value}"


def _reset_keys(request, email: str) -> list[tuple[str, int, str]]:
    """(cache key, limit, kind) for the e-mail address (hashed: the cache holds no
    address) and for the client's address."""
    address = email.strip().lower()
    digest = hashlib.sha256(address.encode()).hexdigest()
    keys = [
        (
            RESET_KEY.format(kind="email", value=digest),
            settings.PASSWORD_RESET_LIMIT_PER_EMAIL,
            "email",
        )
    ]
    ip = client_ip(request)
    if ip:
        keys.append(
            (RESET_KEY.format(kind="ip", value=ip), settings.PASSWORD_RESET_LIMIT_PER_IP, "ip")
        )
    return keys


def reset_refusal(request, email: str) -> str | None:
    """Why a password reset link is not sent now, or None (and then the request is counted):
    more than PASSWORD_RESET_LIMIT_PER_EMAIL links for this e-mail address, or
    PASSWORD_RESET_LIMIT_PER_IP from this client, within PASSWORD_RESET_WINDOW_MINUTES.
    Requests are counted per address whether or not an account has it, so the answer
    tells nobody whether the address is known. The counts live in Django's cache, as the
    times of the requests within the window (a sliding window that any backend keeps)."""
    window = settings.PASSWORD_RESET_WINDOW_MINUTES * 60
    now = time.time()
    recent = {}
    for key, limit, kind in _reset_keys(request, email):
        times = [t for t in cache.get(key, []) if now - t < window]
        if len(times) >= limit:
            wait = max(1, math.ceil((times[0] + window - now) / 60))
            if kind == "email":
                return _(
                    "Too many links to choose a new password were asked for this e-mail "
                    "address. Try again in %(minutes)s minutes; a link already sent still works."
                ) % {"minutes": wait}
            return _(
                "Too many links to choose a new password were asked from this network. "
                "Try again in %(minutes)s minutes."
            ) % {"minutes": wait}
        recent[key] = times
    for key, times in recent.items():
        cache.set(key, [*times, now], window)
    return None
