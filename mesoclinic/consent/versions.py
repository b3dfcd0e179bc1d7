"""Consent text versions: a change of the composed text is stored as the next version.

The templates are shared by every clinic and hold no patient data, so creating one is not
audited; it happens the first time a page needs the text after the knowledge changed.
"""

from django.db import IntegrityError, transaction

from mesoclinic.engine.knowledge import load

from .document import compose, content_hash
from .models import ConsentTemplate


def _latest(protocol: str) -> ConsentTemplate | None:
    return ConsentTemplate.objects.filter(protocol=protocol).order_by("-version").first()


def current_template(protocol: str) -> ConsentTemplate:
    """The version of `protocol`'s consent text that matches the knowledge in force."""
    k = load()
    if protocol not in k.protocols:
        raise KeyError(f"unknown protocol {protocol!r}")
    latest = _latest(protocol)
    digest = content_hash(k, protocol)
    if latest is not None and latest.content_hash == digest:
        return latest
    body, digest = compose(k, protocol)
    try:
        with transaction.atomic():
            return ConsentTemplate.objects.create(
                protocol=protocol,
                version=(latest.version if latest else 0) + 1,
                body=body,
                content_hash=digest,
                knowledge_version=k.version,
            )
    except IntegrityError:  # another request stored this version first
        return _latest(protocol)


def current_versions(protocols) -> dict[str, int]:
    """protocol -> current version number, in one query while the knowledge is unchanged."""
    protocols = sorted(set(protocols))
    if not protocols:
        return {}
    k = load()
    latest: dict[str, tuple[int, str]] = {}
    rows = ConsentTemplate.objects.filter(protocol__in=protocols).order_by("protocol", "-version")
    for protocol, version, digest in rows.values_list("protocol", "version", "content_hash"):
        latest.setdefault(protocol, (version, digest))
    out = {}
    for protocol in protocols:
        version, digest = latest.get(protocol, (0, ""))
        if protocol in k.protocols and digest != content_hash(k, protocol):
            version = current_template(protocol).version
        out[protocol] = version
    return out
