"""Recording to the audit log. Every read and change of clinical data calls `record`.

Inside a request the rows are kept in a per-request buffer and written together, chained
in order, in one INSERT when the request ends (`AuditBufferMiddleware`), whatever its
outcome: a refused or failed request still leaves its rows. Outside a request (commands,
tasks, tests calling actions) each row is written at once, inside the caller's transaction,
so a change rolled back takes its row with it.

A change never done is never audited as done (issue 15): a buffered row of a change (any
action but the reads and refusals in READS) recorded inside a transaction whose work was
then rolled back (the transaction, or the savepoint of the action's atomic block) is
written as action "failed", with the action attempted and "rolled back" in its detail and
"not done: " before its summary. Reads and refusals stay as they are: they happened.
"""

import contextlib
import contextvars
import ipaddress
from typing import Any

from django.db import transaction

from mesoclinic.accounts.actor import Actor

from . import chain
from .models import AuditEvent

_buffer: contextvars.ContextVar[list[AuditEvent] | None] = contextvars.ContextVar(
    "audit_buffer", default=None
)


# what was seen or refused, not changed: kept even when the transaction around it rolled back
READS = frozenset(
    {"view", "search", "read", "export", "refused", "not_found", "login_failed", "locked_out"}
)
FAILED = "failed"


class _Committed:
    """An on_commit callback marking that the transaction a row was recorded in committed.
    Django drops it when that transaction or savepoint rolls back."""

    __slots__ = ("done",)

    def __init__(self) -> None:
        self.done = False

    def __call__(self) -> None:
        self.done = True


def add(event: AuditEvent) -> AuditEvent:
    """Write `event` now, or with the rest of the request's rows when a request is open."""
    buffered = _buffer.get()
    if buffered is None:
        chain.write([event])
        return event
    if event.action not in READS and transaction.get_connection().in_atomic_block:
        marker = _Committed()
        transaction.on_commit(marker)
        event._committed = marker
    buffered.append(event)
    return event


def _rolled_back(event: AuditEvent, waiting: set[int]) -> bool:
    """Was the change `event` records undone? Its marker neither ran (commit) nor still
    waits in an open transaction (a test's, or the request's own)."""
    marker = getattr(event, "_committed", None)
    return marker is not None and not marker.done and id(marker) not in waiting


def settle(rows: list[AuditEvent]) -> list[AuditEvent]:
    """Rows of changes whose transaction rolled back become "failed" (see the module)."""
    waiting = {id(func) for _sids, func, _robust in transaction.get_connection().run_on_commit}
    for event in rows:
        if _rolled_back(event, waiting):
            event.detail = {**(event.detail or {}), "attempted": event.action}
            event.detail["outcome"] = "rolled back"
            event.action = FAILED
            event.summary = f"not done: {event.summary}"[:300]
    return rows


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
        chain.write(settle(rows))


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
