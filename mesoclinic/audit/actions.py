"""Recording to the audit log. Every read and change of clinical data calls `record`.

Inside a request the rows are kept in a per-request buffer and written together, chained
in order, in one INSERT when the request ends (`AuditBufferMiddleware`), whatever its
outcome: a refused or failed request still leaves its rows. Outside a request (commands,
tasks, tests calling actions) each row is written at once."""

import contextlib
import contextvars
import ipaddress
from typing import Any

from mesoclinic.accounts.actor import Actor

from . import chain
from .models import AuditEvent

_buffer: contextvars.ContextVar[list[AuditEvent] | None] = contextvars.ContextVar(
    "audit_buffer", default=None
)


def add(event: AuditEvent) -> AuditEvent:
    """Write `event` now, or with the rest of the request's rows when a request is open."""
    buffered = _buffer.get()
    if buffered is None:
        chain.write([event])
    else:
        buffered.append(event)
    return event


@contextlib.contextmanager
def buffered():
    """Keep the rows recorded inside the block and write them in one INSERT at its end
    (also when the block raises)."""
    rows: list[AuditEvent] = []
    token = _buffer.set(rows)
    try:
        yield rows
    finally:
        _buffer.reset(token)
        chain.write(rows)


def clean_ip(ip: str | None) -> str | None:
    """The address as the database gives it back (so the row's hash is reproducible)."""
    if not ip:
        return None
    try:
        return ipaddress.ip_address(ip).compressed
    except ValueError:
        return None


def record(
    actor: Actor | None,
    action: str,
    obj: Any = None,
    *,
    patient: Any = None,
    summary: str = "",
    detail: dict | None = None,
    clinic: Any = None,
) -> AuditEvent:
    user = actor.user if actor else None
    return add(
        AuditEvent(
            clinic=actor.clinic if actor else clinic,
            user=user,
            username=user.username if user else ("system" if actor else ""),
            role=actor.role if actor else "",
            action=action,
            object_type=type(obj).__name__ if obj is not None else "",
            object_code=str(getattr(obj, "code", "") or ""),
            patient_code=getattr(patient, "code", None),
            summary=summary[:300],
            ip=clean_ip(actor.ip if actor else None),
            user_agent=(actor.user_agent if actor else "")[:300],
            detail=detail or {},
        )
    )
