"""Where each zone lies on the charting diagrams (drawing layout, not clinical data).

Every diagram uses the SVG viewBox 0 0 100 130. A zone is one or more polygons on a
drawing, so a click is placed in the zone it lands in, on either half of the face or body.
Polygons are drawn for one half and mirrored for the other. Drawings face the viewer the
way a chart does: on the front of the face the patient's right is on the viewer's left.
"""

from dataclasses import dataclass

Poly = tuple[tuple[float, float], ...]

RIGHT, LEFT, MIDLINE = "right", "left", "midline"


@dataclass(frozen=True)
class Region:
    zone: str
    poly: Poly
    side: str | None  # None: the side is the half of the drawing the point lies on


# Zones with no side of their own (they span the midline): the point's half says which side.
SPANNING = {
    "forehead",
    "hairline",
    "nose",
    "perioral",
    "chin",
    "neck",
    "decollete",
    "abdomen",
    "frontal-hairline",
    "vertex",
    "crown",
    "scalp",
}

# --- the front of the face, the patient's right half (x <= 50), in priority order -------
# Specific zones come first: a zone overlapped by a more specific one of the same protocol
# (periorbital over the eyelids) only gets what is left.
FACE_HALF: list[tuple[str, Poly]] = [
    ("upper-eyelid", ((29, 32.5), (44, 32.5), (44, 39), (29, 39))),
    ("lower-eyelid", ((29, 39), (44, 39), (44, 45), (29, 45))),
    ("crows-feet", ((19, 33), (29, 33), (29, 46), (19, 46))),
    ("periorbital", ((24, 32.5), (45.5, 32.5), (46, 46.5), (24, 46.5))),
    ("nose", ((46, 40), (50.5, 40), (50.5, 57.5), (45, 57.5), (45, 50))),
    ("nasolabial", ((42, 56), (47, 57.5), (44.5, 64), (43.5, 71), (38, 72), (38.5, 64))),
    (
        "perioral",
        ((45, 57.5), (50.5, 57.5), (50.5, 80), (38, 80), (38, 72), (43.5, 71), (44.5, 64)),
    ),
    ("chin", ((38, 80), (50.5, 80), (50.5, 94.5), (42, 92.5), (35.5, 88), (38, 84))),
    (
        "jawline",
        (
            (17.5, 54),
            (21.5, 58),
            (25, 65),
            (29, 71),
            (34, 77),
            (38, 80),
            (38, 84),
            (35.5, 88),
            (29.5, 83.5),
            (24, 75),
            (19.5, 63),
        ),
    ),
    ("temples", ((17.5, 21), (26, 22.5), (28, 25), (28, 33), (24, 37), (17, 38))),
    (
        "hairline",
        (
            (50.5, 0.5),
            (36, 2.5),
            (24.5, 9),
            (17.5, 21),
            (26, 22.5),
            (29.5, 23.4),
            (35.6, 20.7),
            (42.6, 19),
            (50.5, 18.5),
        ),
    ),
    (
        "forehead",
        ((28, 25), (29.5, 23.4), (35.6, 20.7), (42.6, 19), (50.5, 18.5), (50.5, 32.5), (28, 33)),
    ),
    (
        "cheeks",
        (
            (18.5, 38),
            (24, 37),
            (24, 46.5),
            (46, 46.5),
            (45, 57.5),
            (42, 56),
            (38.5, 64),
            (38, 80),
            (34, 77),
            (29, 71),
            (25, 65),
            (21.5, 58),
            (17.5, 54),
            (18.5, 46),
        ),
    ),
    ("neck", ((35.5, 88), (42, 92.5), (50.5, 94.5), (50.5, 108), (37, 108))),
    ("decollete", ((37, 108), (50.5, 108), (50.5, 128), (2, 128), (9, 117), (28, 110))),
]

# --- a profile with the nose to the viewer's right: the patient's right side ------------
PROFILE: list[tuple[str, Poly]] = [
    ("upper-eyelid", ((56, 32.5), (66.5, 32.5), (66.5, 37.5), (56, 37.5))),
    ("lower-eyelid", ((56, 37.5), (66.5, 37.5), (67, 42.5), (56, 42.5))),
    ("crows-feet", ((49, 32), (56, 32), (56, 43.5), (49, 43.5))),
    ("periorbital", ((50, 32), (67, 32), (67.5, 42), (63, 45), (50, 44))),
    ("nose", ((66, 39), (72.5, 44), (76, 49), (72, 55.5), (66.5, 56.5), (64, 48))),
    ("nasolabial", ((62, 54), (66.5, 56.5), (67.5, 64), (64, 68), (60, 66), (60, 57))),
    (
        "perioral",
        ((66.5, 56.5), (71.5, 57.5), (72, 63), (70, 73), (60, 74), (60, 66), (64, 68), (67.5, 64)),
    ),
    ("chin", ((58, 74), (66.5, 74), (67.5, 80), (65.5, 86), (61, 92.5), (55, 91), (56, 82))),
    (
        "jawline",
        (
            (30, 58),
            (36, 60),
            (42, 70),
            (50, 78),
            (56, 82),
            (55, 91),
            (46, 91),
            (38.5, 85.5),
            (31.5, 76),
            (27, 66),
        ),
    ),
    ("temples", ((44, 19), (50, 15), (57, 12.5), (57, 32), (49, 32), (43, 30))),
    (
        "hairline",
        (
            (27, 27),
            (31, 19),
            (41, 10.5),
            (53, 5.5),
            (60, 4),
            (65, 8),
            (63.5, 13),
            (57, 12.5),
            (50, 15),
            (44, 19),
            (43, 30),
            (33, 28),
        ),
    ),
    ("forehead", ((57, 12.5), (63.5, 13), (66.5, 15), (68.5, 21), (67, 32), (57, 32))),
    (
        "cheeks",
        (
            (45, 41),
            (50, 44),
            (63, 45),
            (64, 48),
            (66.5, 56.5),
            (62, 54),
            (60, 57),
            (60, 74),
            (56, 82),
            (50, 78),
            (42, 70),
            (36, 60),
            (45, 56),
        ),
    ),
    ("neck", ((38.5, 85.5), (46, 91), (55, 91), (61, 92.5), (62.5, 108), (42, 108))),
    ("decollete", ((42, 108), (62.5, 108), (86, 128), (15, 128), (20, 120))),
]

# --- the scalp from above, forehead at the top: the patient's left half (x <= 50) ------
SCALP_HALF: list[tuple[str, Poly]] = [
    ("frontal-hairline", ((50.5, 3), (38, 6), (26, 12.5), (19, 21), (19, 23.5), (50.5, 23.5))),
    ("temporal", ((14, 23.5), (29, 23.5), (29, 62), (17, 64), (12.5, 50))),
    ("vertex", ((50.5, 35), (43, 37.5), (40, 45), (43, 52.5), (50.5, 55))),
    ("crown", ((50.5, 55), (43, 52.5), (35, 57), (35, 72), (50.5, 76))),
    (
        "scalp",
        ((50.5, 3), (31, 8), (18, 21), (12.5, 50), (17, 78), (30, 91), (50.5, 96.5)),
    ),
]

# --- the body: front view centred on x = 25, back view on x = 75 -----------------------
BODY_FRONT_HALF: list[tuple[str, Poly]] = [  # the patient's right half (x <= 25)
    ("abdomen", ((15.5, 36), (25.5, 36), (25.5, 65), (16, 65))),
    ("thighs", ((15.5, 65), (25.5, 65), (25.5, 101), (17.5, 101))),
]
BODY_BACK_HALF: list[tuple[str, Poly]] = [  # the patient's left half (x <= 75)
    ("buttocks", ((65, 53), (75.5, 53), (75.5, 71), (65.5, 71))),
    ("thighs", ((65.5, 71), (75.5, 71), (75.5, 101), (67.5, 101))),
]

# --- the backs of both hands, fingers up: the right hand, thumb to the viewer's left ---
HAND_RIGHT: list[tuple[str, Poly]] = [
    (
        "back-of-hands",
        (
            (9.5, 40),
            (16, 36.5),
            (20, 44),
            (21, 19),
            (29, 9),
            (38, 9),
            (46.5, 14),
            (49, 28),
            (56, 27),
            (58.5, 35),
            (49, 78),
            (47, 111),
            (17, 111),
            (19, 70),
            (10.5, 48),
        ),
    ),
]


def _mirror(poly: Poly, axis: float) -> Poly:
    return tuple((round(2 * axis - x, 2), y) for x, y in poly)


def _both(half: list[tuple[str, Poly]], axis: float, near: str, far: str) -> list[Region]:
    """Regions for both halves: each polygon, then its mirror image about `axis`."""
    out = []
    for zone, poly in half:
        spans = zone in SPANNING
        out.append(Region(zone, poly, None if spans else near))
        out.append(Region(zone, _mirror(poly, axis), None if spans else far))
    return out


def _single(polys: list[tuple[str, Poly]], side: str, mirror: bool = False) -> list[Region]:
    return [Region(z, _mirror(p, 50) if mirror else p, side) for z, p in polys]


# view -> the drawing it uses and its regions. A view is one of the chart's diagrams.
LAYOUTS: dict[str, list[Region]] = {
    "front": _both(FACE_HALF, 50, RIGHT, LEFT),
    "right": _single(PROFILE, RIGHT),
    "left": _single(PROFILE, LEFT, mirror=True),
    "scalp": _both(SCALP_HALF, 50, LEFT, RIGHT),
    "body": _both(BODY_FRONT_HALF, 25, RIGHT, LEFT) + _both(BODY_BACK_HALF, 75, LEFT, RIGHT),
    "hands": _both(HAND_RIGHT, 50, RIGHT, LEFT),
}

# zone -> (view, x, y): the zone's usual place, for a point charted without a click. Zones
# with a side have their place on the near half; the other side is its mirror image.
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
    "scalp": ("scalp", 50, 86),
    "frontal-hairline": ("scalp", 50, 14),
    "temporal": ("scalp", 18, 38),
    "vertex": ("scalp", 50, 44),
    "crown": ("scalp", 50, 62),
    "abdomen": ("body", 25, 42),
    "thighs": ("body", 21, 80),
    "buttocks": ("body", 79, 60),
    "back-of-hands": ("body", 30, 50),
}

# how a drawing is split into halves: (from x, to x, midline x, side of the half left of it)
_HALVES: dict[str, tuple[tuple[float, float, float, str], ...]] = {
    "front": ((0, 100, 50, RIGHT),),
    "scalp": ((0, 100, 50, LEFT),),
    "body": ((0, 50, 25, RIGHT), (50, 100, 75, LEFT)),
    "hands": ((0, 100, 50, RIGHT),),
}


def views_for(k, protocol: str) -> list[tuple[str, str]]:
    """(view, drawing) pairs for a protocol; the drawing is the SVG template to use."""
    regions = {z.region for z in k.protocols[protocol].zones}
    out = []
    if regions & {"face", "neck", "chest"}:
        out += [("front", "front"), ("right", "profile"), ("left", "profile")]
    if "scalp" in regions:
        out.append(("scalp", "scalp"))
    if "body" in regions:
        out.append(("body", "body"))
    elif "hands" in regions:
        out.append(("body", "hands"))
    return out


def _layout(k, protocol: str, view: str) -> tuple[str, list[Region]] | None:
    """(layout key, regions) of a view of this protocol's chart, or None if it has no such view."""
    drawing = dict(views_for(k, protocol)).get(view)
    if drawing is None:
        return None
    key = "hands" if drawing == "hands" else view
    return key, LAYOUTS[key]


def _inside(poly: Poly, x: float, y: float) -> bool:
    """Even-odd ray casting; a point on an edge is inside (the same on both halves)."""
    if _distance(poly, x, y) < 1e-9:
        return True
    inside = False
    j = len(poly) - 1
    for i in range(len(poly)):
        xi, yi = poly[i]
        xj, yj = poly[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _distance(poly: Poly, x: float, y: float) -> float:
    best = float("inf")
    for i in range(len(poly)):
        (x1, y1), (x2, y2) = poly[i - 1], poly[i]
        dx, dy = x2 - x1, y2 - y1
        t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy or 1)))
        best = min(best, ((x1 + t * dx - x) ** 2 + (y1 + t * dy - y) ** 2) ** 0.5)
    return best


NEAR = 2.5  # a click this close outside a zone's edge still counts as that zone


def _half(key: str, x: float) -> tuple[float, str] | None:
    """(midline, side) of the half of a two-sided drawing that x lies in."""
    for lo, hi, mid, near in _HALVES.get(key, ()):
        if lo <= x <= hi:
            if x == mid:
                return mid, MIDLINE
            return mid, near if x < mid else (LEFT if near == RIGHT else RIGHT)
    return None


def _side(key: str, region: Region, x: float) -> str:
    if region.side is not None:
        return region.side
    half = _half(key, x)
    return half[1] if half else MIDLINE


def _hit(key: str, regions: list[Region], x: float, y: float) -> tuple[str, str] | None:
    for region in regions:
        if _inside(region.poly, x, y):
            return region.zone, _side(key, region, x)
    near = [(_distance(r.poly, x, y), i) for i, r in enumerate(regions)]
    if near:
        d, i = min(near)
        if d <= NEAR:
            return regions[i].zone, _side(key, regions[i], x)
    return None


def locate(k, protocol: str, view: str, x: float, y: float) -> tuple[str, str] | None:
    """(zone, side) of this protocol at the spot clicked, or None when it is in none."""
    found = _layout(k, protocol, view)
    if found is None:
        return None
    key, regions = found
    zones = {z.id for z in k.protocols[protocol].zones}
    return _hit(key, [r for r in regions if r.zone in zones], x, y)


def what_is_at(k, protocol: str, view: str, x: float, y: float) -> str | None:
    """The zone of any protocol at the spot (to say why a click was refused)."""
    found = _layout(k, protocol, view)
    if found is None:
        return None
    hit = _hit(found[0], found[1], x, y)
    return hit[0] if hit else None


def side_of(k, protocol: str, view: str, x: float, y: float) -> str:
    """The side of the body a point is on: its zone's side where the spot is in a zone,
    else the half of the drawing it lies on."""
    hit = locate(k, protocol, view, x, y)
    if hit:
        return hit[1]
    if view in (LEFT, RIGHT):
        return view
    found = _layout(k, protocol, view)
    half = _half(found[0], x) if found else None
    return half[1] if half else MIDLINE


def mirror(k, protocol: str, view: str, x: float, y: float) -> tuple[str, float, float] | None:
    """(view, x, y) of the same spot on the patient's other side: across the midline of a
    two-sided drawing, or on the other profile (drawn as its mirror image). None on the
    midline, or where the drawing has no other side."""
    views = dict(views_for(k, protocol))
    if view in (LEFT, RIGHT):
        other = LEFT if view == RIGHT else RIGHT
        return (other, round(100 - x, 2), y) if other in views else None  # viewBox 0 0 100 130
    found = _layout(k, protocol, view)
    half = _half(found[0], x) if found else None
    if half is None or half[1] == MIDLINE:
        return None
    return view, round(2 * half[0] - x, 2), y


def places_for(k, protocol: str) -> list[tuple[str, str, str, float, float]]:
    """(zone, side, view, x, y): where a point goes when its zone is chosen without a
    click. A zone with a side has two places, the patient's right first."""
    out = []
    for z in k.protocols[protocol].zones:
        view, x, y = ANCHORS.get(z.id, ("front", 50, 50))
        found = _layout(k, protocol, view)
        half = _half(found[0], x) if found else None
        if half is None or half[1] == MIDLINE or z.id in SPANNING:
            out.append((z.id, MIDLINE if half is None else half[1], view, x, y))
            continue
        mid = half[0]
        here = (z.id, side_of(k, protocol, view, x, y), view, x, y)
        there = (z.id, side_of(k, protocol, view, 2 * mid - x, y), view, 2 * mid - x, y)
        out += [here, there] if here[1] == RIGHT else [there, here]
    return out


def regions_for(k, protocol: str) -> dict[str, list[tuple[str, str]]]:
    """view -> [(zone, SVG points)] of the protocol's zones, drawn so a user sees where a
    click lands. The points are plain numbers, never localised."""
    zones = {z.id for z in k.protocols[protocol].zones}
    out: dict[str, list[tuple[str, str]]] = {}
    for view, _drawing in views_for(k, protocol):
        _key, regions = _layout(k, protocol, view)  # type: ignore[misc]
        out[view] = [
            (r.zone, " ".join(f"{x:g} {y:g}" for x, y in r.poly))
            for r in reversed(regions)  # the first region is drawn last, on top
            if r.zone in zones
        ]
    return out
