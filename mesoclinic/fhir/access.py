"""Reads of API tokens, and the actor a request to the API acts as.

A request is authenticated either by a bearer token (another system) or by the staff
session (the browser). A token acts in its clinic with the capabilities of a physician
(read-only: the API has no writes), narrowed by its scopes to some resource types; its
reads are audited like anyone's, the token named in each entry's user agent.
"""

import hashlib
import re

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from mesoclinic.accounts.actor import Actor
from mesoclinic.accounts.roles import STAFF, Role

from .models import ApiToken

SCOPE = re.compile(r"^system/(\*|[A-Z][A-Za-z]+)\.read$")
TOKEN_ROLE = Role.PHYSICIAN


class Unauthenticated(Exception):
    """No credentials, or credentials that are not (or no longer) valid: 401."""


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def tokens_for(actor: Actor) -> QuerySet[ApiToken]:
    actor.require("manage_clinic")
    return ApiToken.objects.filter(clinic=actor.clinic).select_related("created_by", "revoked_by")


def get_token(actor: Actor, code) -> ApiToken:
    try:
        return tokens_for(actor).get(code=code)
    except (ApiToken.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404("no such token") from None


def allows(scopes, resource_type: str) -> bool:
    return any(
        m is not None and m.group(1) in ("*", resource_type)
        for m in (SCOPE.match(s) for s in scopes or [])
    )


class Caller:
    """Who asks the API: the actor, and the resource types it may read."""

    def __init__(self, actor: Actor, scopes: list[str] | None = None, token=None):
        self.actor = actor
        self.scopes = scopes  # None: a staff session, every type its role allows
        self.token = token

    def may_read(self, resource_type: str) -> bool:
        return self.scopes is None or allows(self.scopes, resource_type)


def caller_for(request) -> Caller:
    """The caller of an API request, or Unauthenticated. A patient's portal session is
    authenticated but not for this API (the caller raises Forbidden later: 403)."""
    header = request.headers.get("Authorization", "")
    ip = request.META.get("REMOTE_ADDR")
    if header:
        kind, _, secret = header.partition(" ")
        if kind.lower() != "bearer" or not secret.strip():
            raise Unauthenticated("the Authorization header must be 'Bearer <token>'")
        token = (
            ApiToken.objects.select_related("clinic")
            .filter(token_hash=token_hash(secret.strip()), revoked_at__isnull=True)
            .first()
        )
        if token is None:
            raise Unauthenticated("the token is not valid or has been revoked")
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        agent = f"fhir-token {token.code} {request.headers.get('User-Agent', '')}"[:300]
        actor = Actor(None, token.clinic, TOKEN_ROLE, ip, agent)
        return Caller(actor, list(token.scopes), token)
    if not request.user.is_authenticated:
        raise Unauthenticated("sign in, or send 'Authorization: Bearer <token>'")
    actor = getattr(request, "actor", None)
    if not actor:
        raise Unauthenticated("this user does not belong to a clinic")
    return Caller(actor)


def is_staff(caller: Caller) -> bool:
    return caller.actor.role in STAFF
