"""Whether a signed consent covers a treatment. Pure, given the current text versions."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from mesoclinic.lib import clinicday
from mesoclinic.lib.titles import class_label, protocol_title

from .models import Consent
from .versions import current_template


@dataclass(frozen=True)
class ConsentStatus:
    valid: bool
    consent: Consent | None = None  # the valid consent, or the one the reasons are about
    reasons: list[str] = field(default_factory=list)


def when(moment) -> str:
    return clinicday.local_text(moment)  # the active clock: the clinic's


def validity(
    consent: Consent,
    protocol: str,
    product_classes: Iterable[str] = (),
    *,
    current_version: int | None = None,
) -> tuple[bool, list[str]]:
    """(valid, reasons) of `consent` for a treatment with `protocol` and `product_classes`.

    Not valid when it was withdrawn, was signed for another protocol, a later version of
    the text exists, or a product class is not covered. `current_version` is the protocol's
    current text version (looked up when not given).
    """
    reasons = []
    withdrawal = consent.withdrawn
    if withdrawal is not None:
        reasons.append(
            _("withdrawn on %(when)s: %(reason)s")
            % {"when": when(withdrawal.withdrawn_at), "reason": withdrawal.reason}
        )
    if consent.template.protocol != protocol:
        reasons.append(
            _("signed for %(signed)s, not for %(wanted)s")
            % {
                "signed": protocol_title(consent.template.protocol),
                "wanted": protocol_title(protocol),
            }
        )
    else:
        if current_version is None:
            current_version = current_template(protocol).version
        if current_version > consent.template.version:
            reasons.append(
                _("template version %(new)s is newer than the signed version %(old)s")
                % {"new": current_version, "old": consent.template.version}
            )
    reasons.extend(
        _("does not cover %(product_class)s") % {"product_class": class_label(pc)}
        for pc in product_classes
        if pc not in consent.product_classes
    )
    return not reasons, reasons


def status_of(
    consents: list[Consent], protocol: str, product_classes: Iterable[str], current_version: int
) -> ConsentStatus:
    """The patient's consent status for a treatment, from all their consents (newest first)."""
    product_classes = list(product_classes)
    same = [c for c in consents if c.template.protocol == protocol]
    for consent in same:
        ok, _reasons = validity(consent, protocol, product_classes, current_version=current_version)
        if ok:
            return ConsentStatus(True, consent, [])
    if same or consents:
        nearest = (same or consents)[0]
        _ok, reasons = validity(nearest, protocol, product_classes, current_version=current_version)
        return ConsentStatus(False, nearest, reasons)
    return ConsentStatus(
        False,
        None,
        [_("no consent signed for %(protocol)s") % {"protocol": protocol_title(protocol)}],
    )
