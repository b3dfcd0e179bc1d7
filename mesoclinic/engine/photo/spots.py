"""Pigmented spots: a contrast map against the local skin background, segmented with
hysteresis and a half-amplitude edge per spot.

- Single photo: contrast = background L* - L* (how much darker than the skin around).
- Before/after: contrast = (OD_after - OD_before) . v_mel on registered photos, minus its
  own smooth background (the recommended, far more accurate way: see docs).
"""

from dataclasses import dataclass

import numpy as np

# Seed and edge thresholds (our definitions, see docs/photo-measures.md).
SEED_K = 4.0  # a seed is at least SEED_K robust SD of the contrast above zero
SEED_MIN_DL = 4.0  # ... and, in a single photo, at least 4 L* darker than its surroundings
EDGE_FRACTION = 0.5  # a spot's edge is at half its own amplitude (see `segment`)
# The amplitude is the mean contrast of the spot's core: the pixels of its half-maximum
# outline that are at least CORE_PX from the nearest pixel outside it (so 1.5 px or more
# inside the half-maximum contour, which runs between the two). The optics, the resampling
# and the JPEG blur a spot's edge by a Gaussian of sigma ~ 0.8-1 px, so 1.5 sigma and more
# inside the contour the profile is within a few per cent of its plateau, and averaging
# there removes the noise. Small spots without a core (fewer than 3 such pixels) use the
# peak of the contrast smoothed over PEAK_SIGMA_PX (one blur width), never one noisy pixel.
CORE_PX = 2.0
PEAK_SIGMA_PX = 1.0
MIN_SPOT_MM2 = 1.0  # smaller dark marks (pores, hair follicles) are not spots
SINGLE_SEED_K = 3.0  # a single photo has no reference: shading is part of the noise
SINGLE_WINDOW_IOD = 0.25  # background window of the single-photo contrast, x interocular


@dataclass
class Spots:
    mask: np.ndarray  # bool, the pigmented pixels
    count: int
    noise: float  # the robust SD of the contrast over skin
    seed: float  # the seed threshold used


def smooth_background(values: np.ndarray, skin: np.ndarray, window_px: float) -> np.ndarray:
    """A median background over skin with a window of about `window_px`. The map is shrunk so
    the window is 9 px; pixels that are not skin are filled from the nearby skin (normalised
    convolution) so borders are not pulled toward the face's mean; then it is filtered and
    enlarged back (a full-size median at this width is far too slow)."""
    import cv2

    h, w = values.shape
    factor = max(1.0, window_px / 9.0)
    size = (max(3, round(w / factor)), max(3, round(h / factor)))
    weight = cv2.resize(skin.astype(np.float32), size, interpolation=cv2.INTER_AREA)
    total = cv2.resize(
        np.where(skin, values, 0).astype(np.float32), size, interpolation=cv2.INTER_AREA
    )
    fill = float(np.median(values[skin])) if skin.any() else 0.0
    local = np.where(weight > 0.5, total / np.maximum(weight, 1e-6), np.nan)
    sigma = 4.0
    w_blur = cv2.GaussianBlur(np.nan_to_num(weight > 0.5).astype(np.float32), (0, 0), sigma)
    v_blur = cv2.GaussianBlur(np.nan_to_num(local, nan=0.0), (0, 0), sigma)
    spread = np.where(w_blur > 1e-3, v_blur / np.maximum(w_blur, 1e-6), fill)
    small = np.where(weight > 0.5, local, spread).astype(np.float32)
    lo, hi = float(small.min()), float(small.max())
    span = max(hi - lo, 1e-6)
    q = np.rint((small - lo) / span * 255.0).astype(np.uint8)
    q = cv2.medianBlur(q, 9 if min(q.shape) > 9 else 3)
    back = cv2.resize(q, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    return back / 255.0 * span + lo


def drop_touching(found: "Spots", rim: np.ndarray) -> "Spots":
    """Leave out spots that touch `rim` (the edge of the face, where hair and shadow enter)."""
    import cv2

    n, labels = cv2.connectedComponents(found.mask.astype(np.uint8), connectivity=8)
    touching = np.unique(labels[rim & found.mask])
    keep = np.ones(n, bool)
    keep[0] = False
    keep[touching] = False
    return Spots(keep[labels], int(keep.sum()), found.noise, found.seed)


def robust_sd(values: np.ndarray) -> float:
    if values.size == 0:
        return 0.0
    return float(np.median(np.abs(values - np.median(values))) * 1.4826)


def segment(
    contrast: np.ndarray,
    skin: np.ndarray,
    *,
    min_area_px: int,
    seed_floor: float,
    seed_k: float = SEED_K,
    noise: float | None = None,
) -> Spots:
    """Hysteresis on the contrast within skin: seeds above max(SEED_K x noise, seed_floor);
    each connected spot keeps the pixels above EDGE_FRACTION of its own amplitude.

    The amplitude is not the spot's brightest pixel: on a noisy map that is the peak plus
    the largest of many noise draws (about +3 SD over a few hundred pixels, 10-25 % of a
    moderate spot), so half of it cuts into the spot's true half-maximum outline and every
    spot comes out too small. Instead: a first outline at half the peak of the lightly
    smoothed contrast, then the amplitude as the mean contrast over that outline's core
    (its pixels CORE_PX or more from the outside), where the noise averages out and the
    blurred edge no longer pulls the value down."""
    import cv2

    if noise is None:
        noise = robust_sd(contrast[skin])
    seed = max(seed_k * noise, seed_floor)
    low = max(EDGE_FRACTION * seed, 2.0 * noise)
    candidate = (contrast >= low) & skin
    n, labels = cv2.connectedComponents(candidate.astype(np.uint8), connectivity=8)
    mask = np.zeros_like(skin)
    count = 0
    if n > 1:
        flat = labels.ravel()
        vals = contrast.ravel().astype(np.float32)
        idx = np.flatnonzero(flat)  # the candidate pixels (a small part of the map)
        peaks = np.zeros(n, np.float32)
        np.maximum.at(peaks, flat[idx], vals[idx])
        seeded = peaks >= seed
        seeded[0] = False
        amplitude = _amplitudes(contrast, flat, vals, idx, seeded, low)
        edge = np.maximum(EDGE_FRACTION * amplitude, low)
        keep = np.zeros(flat.shape, bool)
        keep[idx] = seeded[flat[idx]] & (vals[idx] >= edge[flat[idx]])
        keep = keep.reshape(contrast.shape)
        n2, labels2, stats, _ = cv2.connectedComponentsWithStats(keep.astype(np.uint8), 8)
        big = np.zeros(n2, bool)
        big[1:] = stats[1:, cv2.CC_STAT_AREA] >= min_area_px
        mask = big[labels2]
        count = int(big.sum())
    return Spots(mask, count, noise, seed)


def _amplitudes(
    contrast: np.ndarray,
    flat: np.ndarray,
    vals: np.ndarray,
    idx: np.ndarray,
    seeded: np.ndarray,
    low: float,
) -> np.ndarray:
    """Per candidate label: the mean contrast of the core of its half-maximum outline (the
    peak of the contrast smoothed over PEAK_SIGMA_PX when the spot has too small a core).
    `idx` are the candidate pixels (label > 0) of the flat maps."""
    import cv2

    n = len(seeded)
    lab, val = flat[idx], vals[idx]
    smooth = cv2.GaussianBlur(contrast.astype(np.float32), (0, 0), PEAK_SIGMA_PX).ravel()[idx]
    peak = np.full(n, low, np.float32)  # a lone noisy pixel can lose its peak to smoothing
    np.maximum.at(peak, lab, smooth)
    outline = np.zeros(flat.shape, np.uint8)
    outline[idx] = seeded[lab] & (val >= EDGE_FRACTION * peak[lab])
    inside = cv2.distanceTransform(outline.reshape(contrast.shape), cv2.DIST_L2, 5).ravel()
    core = inside[idx] >= CORE_PX
    counts = np.bincount(lab[core], minlength=n)
    sums = np.bincount(lab[core], weights=val[core], minlength=n)
    return np.where(counts >= 3, sums / np.maximum(counts, 1), peak).astype(np.float32)


def single_contrast(lightness: np.ndarray, skin: np.ndarray, iod_px: float) -> np.ndarray:
    """How much darker (in L*) each pixel is than the skin around it (window 0.25 x IOD).
    Used for body photos, which have no face scale."""
    back = smooth_background(lightness, skin, SINGLE_WINDOW_IOD * iod_px)
    return back - lightness


# Single-photo pigment spots on a face (see docs/photo-measures.md, "Spots on one photo").
SPOT_MAX_MM = 12.0  # the widest spot measured whole: the top-hat's disc is this wide
PIGMENT_SEED_OD = 0.12  # a seed carries at least this much melanin optical density...
PIGMENT_SEED_K = 3.0  # ... and this many robust SD of the top-hat above its median
NOISE_FACTOR = 1.5  # the fine residual (minus a 2 px blur) under-states the pixel noise
PIGMENT_SMOOTH_PX = 0.8  # light smoothing of the OD map (camera noise, JPEG blocks)
# Pigment, not shadow: a shadow darkens all three channels alike (the grey direction of
# OD); melanin also turns the colour brown. A spot is kept when its mean contrast along the
# part of the melanin direction orthogonal to grey is at least this fraction of what pure
# melanin would give (for the vector used, that part is sin 12 deg, about 0.2, of the total).
PIGMENT_CHROMA_FRACTION = 0.4


def _filled(values: np.ndarray, skin: np.ndarray, sigma: float = 8.0) -> np.ndarray:
    """Non-skin pixels replaced by the nearby skin's values (normalised convolution), so that
    eyes, brows and hair do not enter the morphology of the skin."""
    import cv2

    w = cv2.GaussianBlur(skin.astype(np.float32), (0, 0), sigma)
    b = cv2.GaussianBlur(np.where(skin, values, 0).astype(np.float32), (0, 0), sigma)
    fill = float(np.median(values[skin])) if skin.any() else 0.0
    around = np.where(w > 1e-3, b / np.maximum(w, 1e-6), fill)
    return np.where(skin, values, around).astype(np.float32)


def top_hat(values: np.ndarray, skin: np.ndarray, radius_px: float) -> np.ndarray:
    """values minus their morphological opening by a disc: what stands above the surface
    over less than the disc's width (spots), not broad shading across the face."""
    import cv2

    r = max(2, int(round(radius_px)))
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))
    filled = _filled(values, skin)
    return filled - cv2.morphologyEx(filled, cv2.MORPH_OPEN, disc)


def melanin_maps(od: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(OD along the melanin direction, OD along its part orthogonal to grey)."""
    import cv2

    from .colour import V_MEL

    grey = np.ones(3, np.float32) / np.sqrt(3.0)
    chroma = V_MEL - (V_MEL @ grey) * grey
    chroma = chroma / np.linalg.norm(chroma)
    od = cv2.GaussianBlur(od.astype(np.float32), (0, 0), PIGMENT_SMOOTH_PX)
    return od @ V_MEL, od @ chroma


def pigment_spots(od: np.ndarray, skin: np.ndarray, mm_per_px: float) -> Spots:
    """Pigmented spots on one photo: the top-hat of the melanin optical density (a disc
    SPOT_MAX_MM wide), segmented with hysteresis and a half-amplitude edge (`segment`);
    spots whose colour change is not brown enough (shadows, folds) are dropped."""
    import cv2

    from .colour import V_MEL

    mel, chroma = melanin_maps(od)
    radius = 0.5 * SPOT_MAX_MM / max(mm_per_px, 1e-6)
    contrast = top_hat(mel, skin, radius)
    base = float(np.median(contrast[skin])) if skin.any() else 0.0
    # The noise is the camera's (fine-scale residual), not the face's own structure, which
    # the floor and the colour test handle: wrinkles must not raise every threshold.
    fine = mel - cv2.GaussianBlur(mel, (0, 0), 2.0)
    found = segment(
        contrast - base, skin, min_area_px=min_area_px(mm_per_px),
        seed_floor=PIGMENT_SEED_OD, seed_k=PIGMENT_SEED_K,
        noise=NOISE_FACTOR * robust_sd(fine[skin]) if skin.any() else 0.0,
    )  # fmt: skip
    if not found.count:
        return found
    c_contrast = top_hat(chroma, skin, radius)
    c_base = float(np.median(c_contrast[skin]))
    n, labels = cv2.connectedComponents(found.mask.astype(np.uint8), connectivity=8)
    flat = labels.ravel()
    sel = flat > 0
    area = np.bincount(flat[sel], minlength=n).astype(np.float64)
    mel_sum = np.bincount(flat[sel], weights=(contrast - base).ravel()[sel], minlength=n)
    chroma_sum = np.bincount(flat[sel], weights=(c_contrast - c_base).ravel()[sel], minlength=n)
    grey = np.ones(3, np.float32) / np.sqrt(3.0)
    expected = float(np.sqrt(max(1.0 - float(V_MEL @ grey) ** 2, 0.0)))  # chroma per unit mel
    keep = chroma_sum >= PIGMENT_CHROMA_FRACTION * expected * np.maximum(mel_sum, 1e-9)
    keep &= area > 0
    # A spot is compact: longer than the disc is a fold, a wrinkle or a shadow's edge.
    _, _, stats, _ = cv2.connectedComponentsWithStats(found.mask.astype(np.uint8), 8)
    longest = np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT])
    keep &= longest <= SPOT_MAX_MM / max(mm_per_px, 1e-6)
    keep[0] = False
    return Spots(keep[labels], int(keep.sum()), found.noise, found.seed)


def single_spots(lightness: np.ndarray, skin: np.ndarray, iod_px: float, mm_per_px: float) -> Spots:
    """The earlier single-photo detector on L* (a median background 0.25 x IOD wide): kept as
    the benchmark's baseline."""
    contrast = single_contrast(lightness, skin, iod_px)
    return segment(
        contrast, skin, min_area_px=min_area_px(mm_per_px), seed_floor=SEED_MIN_DL,
        seed_k=SINGLE_SEED_K,
    )  # fmt: skip


def min_area_px(mm_per_px: float) -> int:
    return max(3, int(round(MIN_SPOT_MM2 / max(mm_per_px, 1e-6) ** 2)))


def melanin_difference(
    od_before: np.ndarray, od_after: np.ndarray, skin: np.ndarray, iod_px: float
) -> np.ndarray:
    """(OD_after - OD_before) projected on the melanin direction, per-channel offsets removed
    (exposure and white balance), minus its smooth background (illumination gradients)."""
    from .colour import V_MEL

    diff = od_after - od_before
    diff = diff - np.median(diff[skin], axis=0)
    proj = diff @ V_MEL
    return proj - smooth_background(proj, skin, 0.5 * iod_px)


def changed_spots(
    od_before: np.ndarray, od_after: np.ndarray, skin: np.ndarray, iod_px: float, mm_per_px: float
) -> tuple[Spots, Spots]:
    """(new or darker spots, faded spots) between two registered photos."""
    d = melanin_difference(od_before, od_after, skin, iod_px)
    area = min_area_px(mm_per_px)
    return (
        segment(d, skin, min_area_px=area, seed_floor=0.05),
        segment(-d, skin, min_area_px=area, seed_floor=0.05),
    )


def naive_spots(lightness: np.ndarray, skin: np.ndarray, percentile: float = 5.0) -> np.ndarray:
    """The baseline: one global threshold, the darkest `percentile` % of skin."""
    cut = np.percentile(lightness[skin], percentile)
    return (lightness <= cut) & skin
