"""Quick settings for charting: one tap sets a point's stage, technique and depth together.

Each preset is drawn from the protocol's knowledge alone: a stage (when the protocol has
stages), one of the techniques that stage uses on at least one of its zones, and a depth
that every range the knowledge gives allows at once (the stage's, the technique's and the
zones' that take the technique). A technique whose sourced range does not meet the stage's
(face mesolift: nappage 2-4 mm against stage 1's 0.5-1.5 mm) gets no preset: the form's
lists still offer it, and the point is checked as any other. A preset only fills the form;
the server checks each point (actions.add_point) as before."""

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from mesoclinic.engine.knowledge import Knowledge, text

HALF = Decimal("0.5")
MOST = 5  # depth buttons per technique, at most


@dataclass(frozen=True)
class Row:
    technique: str
    label: str
    depths: tuple[str, ...]  # plain numbers ("1.0"), never localised


@dataclass(frozen=True)
class Group:
    stage: int | None
    name: str
    physician: bool
    rows: list[Row] = field(default_factory=list)


def _d(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"))


def depth_steps(lo: Decimal, hi: Decimal) -> tuple[str, ...]:
    """The depths offered between lo and hi: both ends and the half millimetres between;
    when there are more than MOST, MOST of them spread evenly (the ends kept)."""
    if lo > hi:
        return ()
    first = (lo / HALF).to_integral_value(ROUND_CEILING) * HALF
    last = (hi / HALF).to_integral_value(ROUND_FLOOR) * HALF
    values = {lo, hi}
    step = first
    while step <= last:
        values.add(step)
        step += HALF
    ordered = sorted(values)
    if len(ordered) > MOST:  # spread evenly over the range
        ordered = [ordered[round(i * (len(ordered) - 1) / (MOST - 1))] for i in range(MOST)]
    return tuple(f"{v.quantize(Decimal('0.1'))}" for v in ordered)


def presets_for(k: Knowledge, protocol: str, lang: str) -> list[Group]:
    p = k.protocols[protocol]
    zones = {z.id: z for z in p.zones}
    stages = p.stages or [None]
    groups = []
    for st in stages:
        zone_ids = st.zones if st else list(zones)
        techniques = st.techniques if st else p.techniques
        rows = []
        for t in techniques:
            taking = [zones[z] for z in zone_ids if z in zones and t in zones[z].techniques]
            if not taking:
                continue
            tech = k.techniques[t].depth_mm
            lo = max(_d(tech.min), min(_d(z.depth_mm.min) for z in taking))
            hi = min(_d(tech.max), max(_d(z.depth_mm.max) for z in taking))
            if st and st.depth_mm:
                lo, hi = max(lo, _d(st.depth_mm.min)), min(hi, _d(st.depth_mm.max))
            depths = depth_steps(lo, hi)
            if depths:
                rows.append(Row(t, text(k.techniques[t].label, lang), depths))
        if rows:
            groups.append(
                Group(
                    st.number if st else None,
                    text(st.name, lang) if st else "",
                    bool(st and st.requires_physician),
                    rows,
                )
            )
    return groups


def first_preset(groups: list[Group]) -> dict:
    """The settings of a chart started from nothing: the first stage, its first technique,
    at the shallowest depth offered (inside every range the knowledge gives)."""
    if not groups:
        return {}
    g = groups[0]
    out = {"technique": g.rows[0].technique, "depth_mm": g.rows[0].depths[0]}
    if g.stage is not None:
        out["stage"] = g.stage
    return out
