"""Signals other apps listen to (billing counts package sessions on them). Both are sent
only after the transaction that signed or amended the session has committed."""

import django.dispatch

# kwargs: session, actor
session_signed = django.dispatch.Signal()
# kwargs: session, amendment, actor
session_amended = django.dispatch.Signal()
