"""Absolute links for what leaves the site (e-mails, SMS, calendar feeds): SITE_URL + path.

A message is rendered by the worker, outside any request, so the link cannot come from
`request.build_absolute_uri`; SITE_URL (settings) is the address people open.
"""

from django.conf import settings
from django.urls import reverse


def absolute(path: str) -> str:
    """`path` (e.g. "/portal/") under SITE_URL: "https://clinic.example.org/portal/"."""
    base = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    return base + (path if path.startswith("/") else "/" + path)


def absolute_url(viewname: str, *args, **kwargs) -> str:
    """`reverse(viewname, ...)` as an absolute link."""
    return absolute(reverse(viewname, args=args or None, kwargs=kwargs or None))
