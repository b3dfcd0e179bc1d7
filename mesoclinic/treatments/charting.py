"""Checks of one charted point against the protocol's knowledge (zones, stages, depths)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from mesoclinic.engine.knowledge import Knowledge, text
from mesoclinic.lib.language import language


def check_point(
    k: Knowledge,
    protocol: str,
    *,
    stage: int | None,
    zone: str,
    technique: str,
    depth_mm: Decimal,
    volume_ml: Decimal,
) -> tuple[dict[str, str], list[str]]:
    """(errors by field, warnings). An error refuses the point; a warning is shown with it."""
    p = k.protocols[protocol]
    errors: dict[str, str] = {}
    warnings: list[str] = []
    zones = {z.id: z for z in p.zones}
    z = zones.get(zone)
    if z is None:
        errors["zone"] = _("Choose one of this protocol's zones.")
        return errors, warnings
    if technique not in z.techniques:
        errors["technique"] = _("This zone is treated with: %(list)s.") % {
            "list": ", ".join(_label(k, t) for t in z.techniques)
        }
    if not Decimal(str(z.depth_mm.min)) <= depth_mm <= Decimal(str(z.depth_mm.max)):
        errors["depth_mm"] = _("The depth for this zone is %(min)s-%(max)s mm.") % {
            "min": z.depth_mm.min,
            "max": z.depth_mm.max,
        }
    if volume_ml <= 0:
        errors["volume_ml"] = _("The volume must be more than 0 mL.")
    elif volume_ml > 10:
        errors["volume_ml"] = _("More than 10 mL at one point is not plausible; check the volume.")
    if p.stages:
        if stage is None:
            errors["stage"] = _("Choose the stage this point belongs to.")
        elif not 1 <= stage <= len(p.stages):
            errors["stage"] = _("This protocol has stages 1 to %(n)s.") % {"n": len(p.stages)}
        else:
            st = p.stages[stage - 1]
            if zone not in st.zones:
                errors["zone"] = _("Stage %(n)s treats: %(list)s.") % {
                    "n": stage,
                    "list": ", ".join(_zone_label(p, zid) for zid in st.zones),
                }
            elif technique not in st.techniques and "technique" not in errors:
                errors["technique"] = _("Stage %(n)s uses: %(list)s.") % {
                    "n": stage,
                    "list": ", ".join(_label(k, t) for t in st.techniques),
                }
            if (
                st.depth_mm
                and "depth_mm" not in errors
                and not (Decimal(str(st.depth_mm.min)) <= depth_mm <= Decimal(str(st.depth_mm.max)))
            ):
                warnings.append(
                    _("Stage %(n)s is usually %(min)s-%(max)s mm deep.")
                    % {"n": stage, "min": st.depth_mm.min, "max": st.depth_mm.max}
                )
    elif stage is not None:
        errors["stage"] = _("This protocol has no stages.")
    return errors, warnings


def _label(k: Knowledge, technique: str) -> str:
    return text(k.techniques[technique].label, language())


def zone_name(k: Knowledge, protocol: str, zone_id: str) -> str:
    """A zone's label in the current language (the id if the protocol has no such zone)."""
    p = k.protocols[protocol]
    return _zone_label(p, zone_id) if any(z.id == zone_id for z in p.zones) else zone_id


def _zone_label(p, zone_id: str) -> str:
    zone = next(z for z in p.zones if z.id == zone_id)
    return text(zone.label, language())


def requires_physician(k: Knowledge, protocol: str, stages: set[int]) -> bool:
    p = k.protocols[protocol]
    return any(
        p.stages[s - 1].requires_physician for s in stages if p.stages and 1 <= s <= len(p.stages)
    )
