"""The secret of a portal invitation, which is never stored anywhere.

The link's token is derived when it is needed, `HMAC-SHA256(SECRET_KEY, "portal.invitation"
| code:nonce)` (Django's `salted_hmac`), from the invitation's public code and a random
nonce kept on the invitation while it can still be used. The database holds the nonce and
the token's SHA-256 (to find the invitation when the link is opened); the task queue holds
only the outbox message's code. Neither alone gives the link: it takes the database *and*
the server's SECRET_KEY. When the invitation is used or replaced its nonce is erased, so
not even both can give the link again. Rotating SECRET_KEY (with the old key in
SECRET_KEY_FALLBACKS) keeps links that were already sent working.
"""

import base64
import hashlib
import secrets

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "mesoclinic.portal.invitation"


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
    """The invitation's token, or None when it can no longer be derived (used, replaced,
    or the key it was made with is gone)."""
    if not invitation.nonce:
        return None
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    for key in keys:
        token = derive(invitation.code, invitation.nonce, key)
        if constant_time_compare(token_hash(token), invitation.token_hash):
            return token
    return None
