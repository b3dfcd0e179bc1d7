"""Aligning two visits: a similarity transform (Umeyama 1991) from stable landmarks, or from
the face boxes without landmarks, refined by ECC (Evangelidis & Psarakis 2008) at low
resolution. Then the before/after differences per region."""

import numpy as np

from . import colour, regions, spots


def similarity(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """The 2 x 3 similarity (rotation, uniform scale, translation) taking src onto dst in the
    least-squares sense (Umeyama 1991)."""
    src, dst = np.asarray(src, np.float64), np.asarray(dst, np.float64)
    mu_s, mu_d = src.mean(axis=0), dst.mean(axis=0)
    s, d = src - mu_s, dst - mu_d
    cov = d.T @ s / len(src)
    u, sig, vt = np.linalg.svd(cov)
    e = np.eye(2)
    if np.linalg.det(u) * np.linalg.det(vt) < 0:
        e[1, 1] = -1
    r = u @ e @ vt
    scale = np.trace(np.diag(sig) @ e) / max(s.var(axis=0).sum(), 1e-12)
    t = mu_d - scale * r @ mu_s
    return np.hstack([scale * r, t[:, None]]).astype(np.float32)


def box_transform(src_box, dst_box) -> np.ndarray:
    """Scale and shift taking one face box onto the other (no landmarks: no rotation)."""
    sx, sy, sw, sh = src_box
    dx, dy, dw, dh = dst_box
    k = ((dw / max(sw, 1e-6)) * (dh / max(sh, 1e-6))) ** 0.5
    tx = dx + dw / 2 - k * (sx + sw / 2)
    ty = dy + dh / 2 - k * (sy + sh / 2)
    return np.array([[k, 0, tx], [0, k, ty]], np.float32)


def _ecc(ref_grey: np.ndarray, mov_grey: np.ndarray) -> np.ndarray | None:
    """The affine warp W with mov(W x) ~ ref(x), or None when ECC does not converge."""
    import cv2

    warp = np.eye(2, 3, dtype=np.float32)
    criteria = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 80, 1e-6)
    try:
        _, warp = cv2.findTransformECC(
            ref_grey.astype(np.float32), mov_grey.astype(np.float32), warp, cv2.MOTION_AFFINE,
            criteria, None, 3,
        )  # fmt: skip
    except cv2.error:
        return None
    return warp


def _stage(ref_rgb, mov_rgb, m3, rect, width):
    """One ECC stage on `rect` (x0, y0, x1, y1) of the reference, scaled to `width` px."""
    import cv2

    x0, y0, x1, y1 = rect
    k = min(1.0, width / max(x1 - x0, 1))
    size = (max(8, round((x1 - x0) * k)), max(8, round((y1 - y0) * k)))
    # S maps reference pixels to the stage's pixels
    s = np.array([[k, 0, -k * x0], [0, k, -k * y0], [0, 0, 1]], np.float32)
    grey_ref = cv2.cvtColor(ref_rgb, cv2.COLOR_RGB2GRAY)
    ref = cv2.warpAffine(grey_ref, s[:2], size, flags=cv2.INTER_AREA)
    mov = cv2.warpAffine(
        cv2.cvtColor(mov_rgb, cv2.COLOR_RGB2GRAY), (s @ m3)[:2], size, flags=cv2.INTER_LINEAR
    )
    warp = _ecc(ref, mov)
    if warp is None:
        return m3, False
    w3 = np.vstack([cv2.invertAffineTransform(warp), [0, 0, 1]]).astype(np.float32)
    return np.linalg.inv(s) @ w3 @ s @ m3, True


def refine_ecc(ref_rgb: np.ndarray, mov_rgb: np.ndarray, m: np.ndarray, box=None):
    """Refine `m` (mov -> ref) with ECC (affine), coarse to fine: the whole frame 320 px
    wide, then the face (`box` in reference pixels, padded) up to 640 px wide. Returns the
    matrix and whether a stage converged (otherwise `m` is returned as it was)."""
    h, w = ref_rgb.shape[:2]
    m3 = np.vstack([m, [0, 0, 1]]).astype(np.float32)
    m3, ok = _stage(ref_rgb, mov_rgb, m3, (0, 0, w, h), 320)
    if box is not None:
        bx, by, bw, bh = box
        rect = (max(0, int(bx - 0.1 * bw)), max(0, int(by - 0.2 * bh)),
                min(w, int(bx + 1.1 * bw)), min(h, int(by + 1.1 * bh)))  # fmt: skip
        m3, ok2 = _stage(ref_rgb, mov_rgb, m3, rect, 640)
        ok = ok or ok2
    return m3[:2].astype(np.float32), ok


def estimate(ref_face: dict, mov_face: dict, ref_size, mov_size) -> tuple[np.ndarray, str]:
    """mov -> ref matrix from the stored `face` parts of two analyses (normalised points)."""
    rw, rh = ref_size
    mw, mh = mov_size
    a, b = ref_face.get("align_points"), mov_face.get("align_points")
    if a and b:
        dst = np.asarray(a) * [rw, rh]
        src = np.asarray(b) * [mw, mh]
        return similarity(src, dst), "landmarks"
    rb = np.asarray(ref_face["box"]) * [rw, rh, rw, rh]
    mb = np.asarray(mov_face["box"]) * [mw, mh, mw, mh]
    return box_transform(mb, rb), "face box"


def warp_to(mov_rgb: np.ndarray, m: np.ndarray, size) -> np.ndarray:
    import cv2

    return cv2.warpAffine(
        mov_rgb, np.asarray(m, np.float32), tuple(size), flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT, borderValue=(255, 255, 255),
    )  # fmt: skip


def align_pair(ref_rgb, mov_rgb, ref_face: dict, mov_face: dict, refine: bool = True):
    """`mov_rgb` warped onto `ref_rgb`, and how (landmarks / face box, ECC refined or not)."""
    size = (ref_rgb.shape[1], ref_rgb.shape[0])
    m, how = estimate(ref_face, mov_face, size, (mov_rgb.shape[1], mov_rgb.shape[0]))
    refined = False
    if refine:
        box = np.asarray(ref_face["box"]) * [size[0], size[1], size[0], size[1]]
        m, refined = refine_ecc(ref_rgb, mov_rgb, m, box)
    return warp_to(mov_rgb, m, size), {"method": how, "ecc_refined": refined}


def differences(before: dict, after: dict) -> dict:
    """Per region and measure: after - before, for the measures both photos have."""
    out = {}
    for name, b in before.get("regions", {}).items():
        a = after.get("regions", {}).get(name)
        if not a:
            continue
        out[name] = {
            k: round(a[k] - b[k], 2)
            for k in b
            if k in a and isinstance(b[k], int | float) and isinstance(a[k], int | float)
        }
    return out


def spot_changes(before_rgb, after_aligned_rgb, face, skin=None) -> dict:
    """New (or darker) and faded pigmented area between two aligned photos of one face, in
    % of the clean skin: the registered differential melanin map (docs/photo-measures.md)."""
    lin_b = colour.srgb_to_linear(before_rgb)
    lin_a = colour.srgb_to_linear(after_aligned_rgb)
    if skin is None:
        lab = colour.linear_to_lab(lin_b)
        skin = regions.skin_gate(lab, regions.box_ellipse(lab.shape[:2], face.box))
        skin &= after_aligned_rgb.min(axis=-1) < 255  # outside the warped photo
    new, faded = spots.changed_spots(
        colour.optical_density(lin_b), colour.optical_density(lin_a), skin,
        face.interocular(), face.mm_per_px(),
    )  # fmt: skip
    n = max(int(skin.sum()), 1)
    return {
        "new_area_pct": round(float(new.mask.sum()) / n * 100.0, 2),
        "new_count": new.count,
        "faded_area_pct": round(float(faded.mask.sum()) / n * 100.0, 2),
        "faded_count": faded.count,
        "masks": (new.mask, faded.mask),
    }


# Two photos are comparable when they show the same view, in about the same light and from
# about the same distance (our thresholds; see docs/photo-measures.md).
LIGHT_DL_MAX = 8.0  # median skin L* may differ this much (a treatment moves it far less)
SCALE_RATIO_MAX = 1.15  # the field of view (image width in mm) may differ by 15 %
YAW_DIFF_MAX = 10.0  # degrees of head turn between the two


def _field_mm(doc: dict) -> float | None:
    face = doc.get("face") or {}
    width = (doc.get("image") or {}).get("width")
    if face.get("mm_per_px") and width:
        analysed = (doc.get("image") or {}).get("analysed_width") or width
        return float(face["mm_per_px"]) * float(analysed)
    if face.get("box"):
        return 1.0 / max(float(face["box"][2]), 1e-6)  # face widths per image width
    return None


def comparability(before: dict, after: dict) -> list[str]:
    """Why two photo-measure documents are not comparable: codes among "view", "light",
    "distance", "pose" and "chart" (one photo colour-corrected, the other not)."""
    out = []
    if before.get("view") != after.get("view"):
        out.append("view")
    lb = (before.get("quality") or {}).get("median_l_star")
    la = (after.get("quality") or {}).get("median_l_star")
    if lb is not None and la is not None and abs(float(la) - float(lb)) > LIGHT_DL_MAX:
        out.append("light")
    fb, fa = _field_mm(before), _field_mm(after)
    if fb and fa and max(fb, fa) / min(fb, fa) > SCALE_RATIO_MAX:
        out.append("distance")
    yb = (before.get("face") or {}).get("yaw_deg")
    ya = (after.get("face") or {}).get("yaw_deg")
    if yb is not None and ya is not None and abs(float(ya) - float(yb)) > YAW_DIFF_MAX:
        out.append("pose")
    cb = (before.get("colour_correction") or {}).get("applied")
    ca = (after.get("colour_correction") or {}).get("applied")
    if bool(cb) != bool(ca):
        out.append("chart")
    return out
