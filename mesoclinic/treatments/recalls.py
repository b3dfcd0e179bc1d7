"""Points charted with a lot that has been recalled since (charting refuses a lot already
recalled, so these were injected before the recall, or the recall came during the session).

Sign-off of such a session is not refused outright, and not let through on a tick either:
a physician signs it, with a note of what was done and told to the patient. A refusal would
leave the record of an injection that really happened unsigned for ever (or push someone to
remove the points and so hide the exposure from the recall's patient list); a bare tick is
too easy to click past. The note is kept in the signed record and the audit trail."""

from django.utils import timezone
from django.utils.translation import ngettext

from mesoclinic.accounts.actor import Actor
from mesoclinic.lib.refusals import Refused

from .models import SessionPoint, TreatmentSession

MIN_NOTE = 10


def recalled_points(session: TreatmentSession) -> list[SessionPoint]:
    """The session's points from a recalled lot (one query)."""
    return list(
        session.points.filter(lot__recalled_at__isnull=False)
        .select_related("lot__product")
        .order_by("stage", "id")
    )


def recalled_lots(points: list[SessionPoint]) -> list:
    """The distinct recalled lots of these points, in charting order."""
    seen: dict[int, object] = {}
    for p in points:
        seen.setdefault(p.lot_id, p.lot)
    return list(seen.values())


def lots_text(lots: list) -> str:
    return ", ".join(f"{lot.product.name} {lot.lot_number}" for lot in lots)


def acknowledgement(actor: Actor, session: TreatmentSession, note: str) -> dict | None:
    """None when no point is from a recalled lot; else the acknowledgement to keep in the
    signed record, or Refused saying who must sign and what to write."""
    points = recalled_points(session)
    if not points:
        return None
    lots = recalled_lots(points)
    what = lots_text(lots)
    if not actor.can("sign_protocol_decision"):
        raise Refused(
            ngettext(
                "%(n)s point of this session comes from a recalled lot (%(lots)s): a physician "
                "signs it off, with a note of what was done and told to the patient.",
                "%(n)s points of this session come from a recalled lot (%(lots)s): a physician "
                "signs it off, with a note of what was done and told to the patient.",
                len(points),
            )
            % {"n": len(points), "lots": what}
        )
    note = (note or "").strip()
    if len(note) < MIN_NOTE:
        raise Refused(
            {
                "recall_note": ngettext(
                    "%(n)s point of this session comes from a recalled lot (%(lots)s): write "
                    "what was done and told to the patient (at least %(min)s characters) to "
                    "sign off.",
                    "%(n)s points of this session come from a recalled lot (%(lots)s): write "
                    "what was done and told to the patient (at least %(min)s characters) to "
                    "sign off.",
                    len(points),
                )
                % {"n": len(points), "lots": what, "min": MIN_NOTE}
            }
        )
    return {
        "lots": [str(lot.code) for lot in lots],
        "lot_numbers": [lot.lot_number for lot in lots],
        "points": len(points),
        "note": note,
        "by": actor.user.display_name if actor.user else "",
        "at": timezone.now().isoformat(),
    }
