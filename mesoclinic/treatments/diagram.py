"""Where each zone sits on the charting diagrams (layout, not clinical data)."""

# zone id -> (view, x %, y %): the default place of a point charted without a click
ANCHORS: dict[str, tuple[str, float, float]] = {
    "hairline": ("front", 50, 9),
    "forehead": ("front", 50, 19),
    "temples": ("front", 21, 30),
    "periorbital": ("front", 34, 38),
    "upper-eyelid": ("front", 35, 34),
    "lower-eyelid": ("front", 35, 43),
    "crows-feet": ("front", 22, 40),
    "nose": ("front", 50, 50),
    "cheeks": ("front", 30, 55),
    "nasolabial": ("front", 41, 62),
    "perioral": ("front", 50, 71),
    "jawline": ("front", 27, 76),
    "chin": ("front", 50, 83),
    "neck": ("front", 50, 100),
    "decollete": ("front", 50, 118),
    "scalp": ("scalp", 50, 50),
    "frontal-hairline": ("scalp", 50, 14),
    "temporal": ("scalp", 18, 38),
    "vertex": ("scalp", 50, 44),
    "crown": ("scalp", 50, 62),
    "abdomen": ("body", 25, 42),
    "thighs": ("body", 25, 78),
    "buttocks": ("body", 75, 58),
    "back-of-hands": ("body", 30, 50),
}


def views_for(k, protocol: str) -> list[tuple[str, str]]:
    """(view, drawing) pairs for a protocol; the drawing is the SVG template to use."""
    regions = {z.region for z in k.protocols[protocol].zones}
    out = []
    if regions & {"face", "neck", "chest"}:
        out += [("front", "front"), ("left", "profile"), ("right", "profile")]
    if "scalp" in regions:
        out.append(("scalp", "scalp"))
    if "body" in regions:
        out.append(("body", "body"))
    elif "hands" in regions:
        out.append(("body", "hands"))
    return out


def anchors_for(k, protocol: str) -> dict[str, tuple[str, float, float]]:
    zones = [z.id for z in k.protocols[protocol].zones]
    return {z: ANCHORS.get(z, ("front", 50, 50)) for z in zones}
