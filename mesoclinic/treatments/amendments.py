"""Amendments of signed sessions: the signed record is kept; each amendment records what it
changed and why, applied under a row lock so concurrent amendments never lose each other."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.accounts.actor import Actor
from mesoclinic.audit.actions import record
from mesoclinic.core.sealed import unsealed
from mesoclinic.engine.knowledge import load
from mesoclinic.products.actions import return_stock

from . import charting, signals
from .actions import (
    DETAILS,
    Refused,
    _check_details,
    _lock,
    _point_dict,
    _take,
    _validate_point,
    point_side,
)
from .models import Amendment, SessionPoint, TreatmentSession


@transaction.atomic
def amend(
    actor: Actor,
    session: TreatmentSession,
    *,
    reason: str,
    details: dict[str, Any] | None = None,
    remove_points: list | None = None,
    add_points: list[dict] | None = None,
) -> Amendment:
    """Change a signed record. The signed original is kept; each amendment records what it
    changed and why, applied under a row lock so concurrent amendments never lose each other."""
    actor.require("record_clinical")
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise Refused({"reason": _("Say why the record is amended.")})
    session = _lock(session)
    if not session.is_signed:
        raise Refused(_("Only a signed-off session is amended; change it directly."))
    k = load()
    _require_signing_role(k, actor, session, remove_points or [], add_points or [])
    changes = []
    if details:
        _check_details({**{f: getattr(session, f) for f in DETAILS}, **details})
        for field, value in details.items():
            before = getattr(session, field)
            if before != value:
                changes.append(
                    {"op": "set", "field": field, "before": _plain(before), "after": _plain(value)}
                )
                setattr(session, field, value)
    removed = []
    for point in remove_points or []:
        if point.session_id != session.pk:
            raise Refused(_("That point belongs to another session."))
        changes.append({"op": "remove_point", "before": _point_dict(point)})
        removed.append(point)
    added = []
    for data in add_points or []:
        _validate_point(k, session, data, timezone.now())
        point = SessionPoint(
            session=session,
            created_by=actor.user,
            **{f: data.get(f) for f in POINT_FIELDS},
            side=point_side(k, session, data),
        )
        changes.append({"op": "add_point", "after": _point_dict(point)})
        added.append(point)
    if not changes:
        raise Refused(_("The amendment changes nothing."))
    # The amendment is written first: the database lets a signed session and its points
    # change only while an amendment of the next revision exists (see migration 0004_sealed).
    amendment = Amendment.objects.create(
        session=session,
        reason=reason,
        changes=changes,
        revision=session.revision + 1,
        by=actor.user,
    )
    with unsealed(session):
        for point in removed:
            return_stock(
                actor, point.lot, point.volume_ml, str(point.code), patient=session.patient
            )
            point.delete()
        for point in added:
            point.save()
            _take(
                actor, point.lot, Decimal(point.volume_ml), point, session.patient, timezone.now()
            )
        session.revision += 1
        session.save(update_fields=[*DETAILS, "revision"])
    record(
        actor, "update", amendment, patient=session.patient, summary=f"amendment: {reason[:100]}"
    )
    transaction.on_commit(
        lambda: signals.session_amended.send(
            sender=TreatmentSession, session=session, amendment=amendment, actor=actor
        )
    )
    return amendment


POINT_FIELDS = ("stage", "view", "x", "y", "zone", "depth_mm", "technique", "volume_ml", "lot")


def _require_signing_role(k, actor: Actor, session, remove_points, add_points) -> None:
    """Amendments follow the signing rules: a session holding a stage only a physician may
    sign (before or after the change) is amended only by someone who may sign it."""
    if actor.can("sign_protocol_decision"):
        return
    stages = set(session.points.exclude(stage=None).values_list("stage", flat=True))
    stages |= {p.stage for p in remove_points if p.stage is not None}
    stages |= {d.get("stage") for d in add_points if d.get("stage") is not None}
    if charting.requires_physician(k, session.protocol, stages):
        raise Refused(
            _(
                "This session has points of a stage only a physician may sign: only a physician may amend it."
            )
        )


def _plain(value):
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value
