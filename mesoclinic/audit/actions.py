"""Recording to the audit log. Every read and change of clinical data calls `record`."""

from typing import Any

from mesoclinic.accounts.actor import Actor

from .models import AuditEvent


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
    return AuditEvent.objects.create(
        clinic=actor.clinic if actor else clinic,
        user=user,
        username=user.username if user else ("system" if actor else ""),
        role=actor.role if actor else "",
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_code=str(getattr(obj, "code", "") or ""),
        patient_code=getattr(patient, "code", None),
        summary=summary[:300],
        ip=actor.ip if actor else None,
        user_agent=actor.user_agent if actor else "",
        detail=detail or {},
    )
