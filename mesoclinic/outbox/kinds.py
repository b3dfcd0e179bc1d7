"""The kinds of message, registered by the apps that own them (in their `AppConfig.ready`),
so the outbox sends what it never has to import: scheduling's reminders, follow-up's
aftercare sheets and on-call alerts, the portal's invitations.

A kind's renderer takes the message row and returns a `Letter` (subject, body, the short
text an SMS carries, and the recipient when it is not the patient), or raises `Stale` (the message no longer applies:
it is cancelled, not sent) or `Undeliverable` (it can never be sent as it stands: it fails
at once, for the staff to see). `on_sent`, when given, runs in the transaction that marks
the message sent (e.g. the alert records that the on-call e-mail went out).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class Stale(Exception):
    """The message no longer applies (the appointment moved, the invitation was used)."""


class Undeliverable(Exception):
    """The message cannot be sent as it stands (no address): fail now, do not retry."""


@dataclass(frozen=True)
class Letter:
    subject: str
    body: str
    to: str | None = None  # None: the patient's address on the message's channel
    headers: dict[str, str] = field(default_factory=dict)
    kept_body: str | None = None  # what the row keeps of the body; None keeps it all
    sms: str | None = None  # the text sent by SMS (one or two segments); None: subject + body
    # files an e-mail carries: (file name, content, MIME type); an SMS carries none
    attachments: tuple[tuple[str, bytes, str], ...] = ()

    def __post_init__(self):
        # A subject is one header line: a line break from a name or a template would make
        # the mail library refuse the message (or add headers), so runs of space collapse.
        object.__setattr__(self, "subject", " ".join(str(self.subject).split()))


@dataclass(frozen=True)
class Kind:
    name: str
    label: Any  # a lazy translation
    render: Callable[[Any], Letter]
    on_sent: Callable[[Any], None] | None = None


_KINDS: dict[str, Kind] = {}


def register(
    name: str,
    *,
    label: Any,
    render: Callable[[Any], Letter],
    on_sent: Callable[[Any], None] | None = None,
) -> Kind:
    """Register a kind once; registering the same name with another renderer is an error
    (two apps would fight over one kind of message)."""
    kind = Kind(name, label, render, on_sent)
    known = _KINDS.get(name)
    if known is not None and known.render is not render:
        raise ValueError(f"message kind {name!r} is registered twice")
    if len(name) > 40:
        raise ValueError(f"message kind {name!r} is longer than 40 characters")
    _KINDS[name] = kind
    return kind


# kind -> functions giving more attachments for a message of that kind: an app above the
# owner of a kind adds its files (documents adds the aftercare sheet's PDF) without the
# owner knowing it.
_ATTACHERS: dict[str, list[Callable[[Any], list[tuple[str, bytes, str]]]]] = {}


def attach(name: str, attacher: Callable[[Any], list[tuple[str, bytes, str]]]) -> None:
    """Every e-mail of kind `name` also carries what `attacher(message)` returns."""
    found = _ATTACHERS.setdefault(name, [])
    if attacher not in found:
        found.append(attacher)


def attachments(message, letter: Letter) -> list[tuple[str, bytes, str]]:
    """The letter's own attachments and those registered for its kind (e-mail only)."""
    if message.channel != "email":
        return []
    out = list(letter.attachments)
    for attacher in _ATTACHERS.get(message.kind, []):
        out.extend(attacher(message))
    return out


def get(name: str) -> Kind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"no message kind {name!r} is registered") from None


def label(name: str) -> str:
    kind = _KINDS.get(name)
    return str(kind.label) if kind else name


def registered() -> list[str]:
    return sorted(_KINDS)
