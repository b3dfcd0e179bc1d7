"""Writes of the FHIR app: making and revoking API tokens (each audited)."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.accounts.actor import Actor
from mesoclinic.audit.actions import record
from mesoclinic.lib.refusals import Refused

from .access import SCOPE, token_hash
from .models import ApiToken

PREFIX = "mcf_"


def clean_scopes(scopes) -> list[str]:
    found = sorted({s.strip() for s in scopes if s and s.strip()})
    bad = [s for s in found if not SCOPE.match(s)]
    if not found:
        raise Refused({"scopes": _("Choose at least one scope.")})
    if bad:
        raise Refused(
            {
                "scopes": _(
                    "Not a scope: %(bad)s. A scope reads like system/Patient.read or system/*.read."
                )
                % {"bad": ", ".join(bad)}
            }
        )
    return found


def create_token(actor: Actor, *, name: str, scopes) -> tuple[ApiToken, str]:
    """A new token for the actor's clinic; returns it and its secret (shown once)."""
    actor.require("manage_clinic")
    name = (name or "").strip()
    if not name:
        raise Refused({"name": _("Give the token a name (which system uses it).")})
    if len(name) > 100:
        raise Refused({"name": _("The name is too long (at most 100 characters).")})
    scopes = clean_scopes(scopes)
    secret = PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            clinic=actor.clinic,
            name=name,
            token_hash=token_hash(secret),
            prefix=secret[:10],
            scopes=scopes,
            created_by=actor.user,
        )
        record(actor, "create", token, summary=f"API token {name}", detail={"scopes": scopes})
    return token, secret


def revoke_token(actor: Actor, token: ApiToken) -> ApiToken:
    actor.require("manage_clinic")
    if token.clinic_id != actor.clinic.pk:
        raise Refused(_("This token is not your clinic's."))
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.revoked_by = actor.user
            locked.save(update_fields=["revoked_at", "revoked_by"])
            record(actor, "update", locked, summary=f"API token {locked.name} revoked")
    return locked
