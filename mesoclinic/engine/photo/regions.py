"""Region masks from MediaPipe Face Mesh landmarks (468/478 indices), and the clean-skin gate.

Left and right are the patient's: the patient's left cheek is on the image's right.
Index lists and their sources are in docs/photo-measures.md (pyVHR MagicLandmarks,
BillFu/SkinAnaMPBaseV2, mediapipe face_mesh_connections, and our own proposals).
"""

import numpy as np

FACE_REGIONS = (
    "forehead",
    "left_cheek",
    "right_cheek",
    "periorbital",
    "nasolabial",
    "perioral",
    "jawline",
)

FACE_OVAL = [10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378,
             400, 377, 152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54,
             103, 67, 109]  # fmt: skip
EYE_RIGHT = [33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246]
EYE_LEFT = [362, 382, 381, 380, 374, 373, 390, 249, 263, 466, 388, 387, 386, 385, 384, 398]
BROW_RIGHT = [70, 63, 105, 66, 107, 55, 65, 52, 53, 46]
BROW_LEFT = [300, 293, 334, 296, 336, 285, 295, 282, 283, 276]
LIPS = [61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291, 409, 270, 269, 267, 0, 37, 39, 40,
        185]  # fmt: skip
NOSTRILS = [98, 97, 2, 326, 327, 294, 278, 344, 440, 275, 4, 45, 220, 115, 48, 64]
FOREHEAD = [21, 71, 68, 54, 103, 104, 63, 70, 53, 52, 65, 107, 66, 108, 69, 67, 109, 105, 10,
            151, 9, 8, 336, 285, 55, 338, 337, 296, 295, 282, 334, 293, 301, 251, 298, 333,
            299, 297, 332, 284]  # fmt: skip
CHEEK_RIGHT = [116, 111, 117, 118, 119, 100, 47, 126, 101, 123, 137, 177, 50, 36, 209, 129,
               205, 147, 215, 187, 207, 206, 203]  # fmt: skip
CHEEK_LEFT = [349, 348, 347, 346, 345, 447, 323, 280, 352, 330, 371, 358, 423, 426, 425, 427,
              411, 376]  # fmt: skip
# (a, b, t) is the point a + t (b - a)
NASOLABIAL_RIGHT = [126, 209, 49, 129, 186, 43, 211, 210, 212, 216, (206, 205, 0.2),
                    (203, 36, 0.65), 142]  # fmt: skip
NASOLABIAL_LEFT = [355, 429, 279, 358, 410, 273, 431, 430, 432, 436, (426, 425, 0.2),
                   (423, 266, 0.65), 371]  # fmt: skip
UNDER_EYE_RIGHT = [33, 7, 163, 144, 145, 153, 154, 155, 133, 245, 128, 121, 120, 119, 118, 117,
                   111, 143]  # fmt: skip
UNDER_EYE_LEFT = [263, 249, 390, 373, 374, 380, 381, 382, 362, 465, 357, 350, 349, 348, 347,
                  346, 340, 372]  # fmt: skip
JAW_ARC = [361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150, 136, 172, 58, 132]
NOSE_CENTRE = [1, 4, 5, 195, 197]
MIDLINE = (168, 152)  # nasion, chin


def _points(lm: np.ndarray, spec) -> np.ndarray:
    out = []
    for item in spec:
        if isinstance(item, tuple):
            a, b, t = item
            out.append(lm[a] + t * (lm[b] - lm[a]))
        else:
            out.append(lm[item])
    return np.array(out, np.float32)


def _poly(shape, pts: np.ndarray, hull: bool = False) -> np.ndarray:
    import cv2

    mask = np.zeros(shape, np.uint8)
    p = np.rint(pts).astype(np.int32)
    if hull:
        p = cv2.convexHull(p)
    cv2.fillPoly(mask, [p.reshape(-1, 1, 2)], 1)
    return mask.astype(bool)


def _dilate(mask: np.ndarray, radius: float) -> np.ndarray:
    import cv2

    r = max(1, round(radius))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))
    return cv2.dilate(mask.astype(np.uint8), kernel).astype(bool)


def erode(mask: np.ndarray, radius: float) -> np.ndarray:
    return ~_dilate(~mask, radius)


def exclusions(shape, lm: np.ndarray, iod: float) -> np.ndarray:
    """Eyes, brows, lips and nostrils, each dilated by 0.08 x the interocular distance."""
    out = np.zeros(shape, bool)
    for spec in (EYE_RIGHT, EYE_LEFT, BROW_RIGHT, BROW_LEFT, NOSTRILS):
        out |= _poly(shape, _points(lm, spec), hull=True)
    out |= _poly(shape, _points(lm, LIPS))
    return _dilate(out, 0.08 * iod)


def _sides(shape, lm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the patient's right half (image left) and left half (image right) of the
    face, split by the line through the nasion and the chin."""
    h, w = shape
    a, b = lm[MIDLINE[0]], lm[MIDLINE[1]]
    ys, xs = np.mgrid[0:h, 0:w]
    cross = (b[0] - a[0]) * (ys - a[1]) - (b[1] - a[1]) * (xs - a[0])
    return cross > 0, cross <= 0


def region_masks(shape, lm: np.ndarray, iod: float) -> dict[str, dict[str, np.ndarray]]:
    """Each region as {"right": mask, "left": mask} (the patient's sides) before the
    clean-skin gate; midline regions are split too, so a turned view keeps its near half."""
    right_half, left_half = _sides(shape, lm)
    oval = _poly(shape, _points(lm, FACE_OVAL))
    eyes = _dilate(
        _poly(shape, _points(lm, EYE_RIGHT), True) | _poly(shape, _points(lm, EYE_LEFT), True),
        0.08 * iod,
    )
    lips = _poly(shape, _points(lm, LIPS))
    nose = _dilate(_poly(shape, _points(lm, NOSTRILS), hull=True), 0.05 * iod)
    perioral = _dilate(lips, 0.35 * iod) & ~_dilate(lips, 0.05 * iod) & ~nose & oval
    arc = _points(lm, JAW_ARC)
    centre = _points(lm, NOSE_CENTRE).mean(axis=0)
    inner = arc + (centre - arc) / np.linalg.norm(centre - arc, axis=1, keepdims=True) * (
        0.15 * iod
    )
    jaw = _poly(shape, np.concatenate([arc, inner[::-1]]))
    under = _poly(shape, _points(lm, UNDER_EYE_RIGHT)) | _poly(shape, _points(lm, UNDER_EYE_LEFT))
    whole = {
        "forehead": _poly(shape, _points(lm, FOREHEAD), hull=True),
        "periorbital": under & ~eyes,
        "perioral": perioral,
        "jawline": jaw,
    }
    out = {name: {"right": m & right_half, "left": m & left_half} for name, m in whole.items()}
    out["right_cheek"] = {"right": _poly(shape, _points(lm, CHEEK_RIGHT), hull=True)}
    out["left_cheek"] = {"left": _poly(shape, _points(lm, CHEEK_LEFT), hull=True)}
    out["nasolabial"] = {
        "right": _poly(shape, _points(lm, NASOLABIAL_RIGHT)),
        "left": _poly(shape, _points(lm, NASOLABIAL_LEFT)),
    }
    return {name: out[name] for name in FACE_REGIONS}


def face_oval(shape, lm: np.ndarray, iod: float) -> np.ndarray:
    """The face oval less a rim of 0.05 x IOD, where hair, shadow and background begin."""
    return erode(_poly(shape, _points(lm, FACE_OVAL)), 0.05 * iod)


def box_ellipse(shape, box: tuple[int, int, int, int], shrink: float = 0.8) -> np.ndarray:
    """The inner ellipse of a face box (used without landmarks)."""
    h, w = shape
    x, y, bw, bh = box
    ys, xs = np.ogrid[0:h, 0:w]
    cx, cy = x + bw / 2, y + bh / 2
    rx, ry = max(bw * shrink / 2, 1), max(bh * shrink / 2, 1)
    return ((xs - cx) / rx) ** 2 + ((ys - cy) / ry) ** 2 <= 1.0


HAIR_DL = 10.0  # hair, nostrils and shadows: this much darker (L*) than the skin median
HUE_K, HUE_MIN_DEG = 4.0, 12.0  # skin hue: within 4 robust SD (at least 12 degrees)
CHROMA_MIN = 0.35  # of the skin's median chroma
TEXTURE_K, TEXTURE_MIN = 3.0, 2.0  # hair: local SD of L* (5 x 5) above 3 x the skin's median


def skin_gate(lab: np.ndarray, candidate: np.ndarray, max_hole_px: int = 0) -> np.ndarray:
    """Clean skin within `candidate`: hue angle near the skin's, chroma not washed out
    (teeth, sclera, grey hair), L* neither far below (hair, nostrils, shadow) nor above
    (glare) the skin, not as textured as hair; then a 3 x 3 opening. Enclosed holes smaller than `max_hole_px`
    (strong spots, whose colour leaves the skin's range) are given back."""
    import cv2

    if candidate.sum() < 16:
        return candidate.copy()
    px = lab[candidate]
    med = np.median(px, axis=0)
    mad_l = float(np.median(np.abs(px[:, 0] - med[0]))) * 1.4826 + 1e-3
    hue = np.degrees(np.arctan2(lab[..., 2], lab[..., 1]))
    chroma = np.hypot(lab[..., 1], lab[..., 2])
    h_med = float(np.median(hue[candidate]))
    h_sd = float(np.median(np.abs(hue[candidate] - h_med))) * 1.4826
    c_med = float(np.median(chroma[candidate]))
    ok = np.abs(hue - h_med) < max(HUE_K * h_sd, HUE_MIN_DEG)
    ok &= chroma > CHROMA_MIN * c_med
    low = med[0] - max(HAIR_DL, 4 * mad_l)
    ok &= (lab[..., 0] > low) & (lab[..., 0] < med[0] + 3.0 * mad_l + 8)
    light = lab[..., 0].astype(np.float32)
    mean = cv2.blur(light, (5, 5))
    local_sd = np.sqrt(np.maximum(cv2.blur(light * light, (5, 5)) - mean * mean, 0))
    ok &= local_sd < max(TEXTURE_K * float(np.median(local_sd[candidate])), TEXTURE_MIN)
    ok &= candidate
    kernel = np.ones((3, 3), np.uint8)
    ok = cv2.morphologyEx(ok.astype(np.uint8), cv2.MORPH_OPEN, kernel).astype(bool)
    if max_hole_px:
        n, labels, stats, _ = cv2.connectedComponentsWithStats((~ok).astype(np.uint8), 4)
        small = np.zeros(n, bool)
        small[1:] = stats[1:, cv2.CC_STAT_AREA] <= max_hole_px
        small[labels[~candidate]] = False  # only holes inside the candidate area
        ok |= small[labels] & candidate
    return ok


def outlines(shape, lm: np.ndarray, iod: float, tolerance_px: float = 1.5) -> dict[str, list]:
    """Each region's outline as polygons in image fractions (x / width, y / height), for an
    overlay drawn over the photo: {region: [[(x, y), ...], ...]}."""
    import cv2

    h, w = shape
    out = {}
    for name, sides in region_masks(shape, lm, iod).items():
        polys = []
        for mask in sides.values():
            contours, _ = cv2.findContours(
                mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE
            )
            for c in contours:
                c = cv2.approxPolyDP(c, tolerance_px, True).reshape(-1, 2)
                if len(c) >= 3:
                    polys.append([(round(x / w, 4), round(y / h, 4)) for x, y in c.tolist()])
        out[name] = polys
    return out
