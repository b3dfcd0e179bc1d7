"""The secret of a staff invitation, never stored: derived from the invitation's code and
a nonce with the server's key (as mesoclinic.portal.tokens does for patients); the
database keeps only its SHA-256 and, while the invitation is open, the nonce."""

import base64
import hashlib
import secrets

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "mesoclinic.staff.invitation"


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_nonce() -> str:
    return secrets.token_hex(16)


def derive(code, nonce: str, key: str | None = None) -> str:
    mac = salted_hmac(
        SALT, f"{code}:{nonce}", secret=key or settings.SECRET_KEY, algorithm="sha256"
    )
    return base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode()


def token_for(invitation) -> str | None:
    if not invitation.nonce:
        return None
    for key in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        token = derive(invitation.code, invitation.nonce, key)
        if constant_time_compare(token_hash(token), invitation.token_hash):
            return token
    return None
