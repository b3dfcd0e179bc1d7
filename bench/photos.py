"""Photo measures on synthetic ground truth built from a real face shipped inside an
installed package (scikit-image's `astronaut`; nothing committed, nothing downloaded).

- Spots: ellipses of known area and melanin depth rendered in optical density on the face,
  photographed twice (camera noise, small misalignment, JPEG); the registered
  before/after detector is scored by Dice and area error. Baselines in the same run: a
  naive global threshold (darkest 5 % of skin) and our single-photo detector.
- Redness: haemoglobin optical density added over the face in steps; linearity (R^2) of
  mean a* and of the erythema index.
- Repeatability: the same face captured twice; relative difference of the colour measures
  per region.
- Time per 2-MP image on one core.
"""

import os
import statistics
import time

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

from bench.common import Result  # noqa: E402
from mesoclinic.engine.photo import align, colour, regions, synthetic  # noqa: E402
from mesoclinic.engine.photo.analysis import analyze  # noqa: E402

PIXELS = 2_000_000
PAIRS = 8
SEED = 20261121


def _face_image():
    from skimage import data

    return synthetic.upscale(data.astronaut(), PIXELS)


def _skin(rgb, result):
    face = result.face
    lab = colour.linear_to_lab(colour.srgb_to_linear(rgb))
    shape = lab.shape[:2]
    if face.landmarks is not None:
        iod = face.interocular()
        cand = regions.face_oval(shape, face.landmarks, iod)
        cand &= ~regions.exclusions(shape, face.landmarks, iod)
    else:
        cand = regions.box_ellipse(shape, face.box, 0.75)
    return regions.skin_gate(lab, cand)


def dice(a, b) -> float:
    total = a.sum() + b.sum()
    return float(2 * (a & b).sum() / total) if total else 1.0


def area_error(found, truth) -> float:
    return float((found.sum() - truth.sum()) / max(truth.sum(), 1))


def _warp_mask(mask, m, size):
    import cv2

    return cv2.warpAffine(mask.astype(np.uint8) * 255, m, size, flags=cv2.INTER_LINEAR) > 127


def spot_trials(scene, depth=(0.2, 0.35), pairs=PAIRS, seed=SEED):
    """Per pair: (differential Dice, area error, naive Dice, single-photo Dice)."""
    from mesoclinic.engine.photo import spots

    rng = np.random.default_rng(seed)
    base = analyze(scene, "front")
    skin = _skin(scene, base)
    inner = regions.erode(skin, 3)
    size = (scene.shape[1], scene.shape[0])
    rows = []
    for _ in range(pairs):
        placed = synthetic.place_spots(inner, 12, rng, axes=(3.0, 12.0), depth=depth)
        after_scene, truth = synthetic.render_spots(scene, placed)
        before, _ = synthetic.capture(scene, rng, shift=6, rotate=1.5, scale=0.02)
        after, m_after = synthetic.capture(after_scene, rng, shift=6, rotate=1.5, scale=0.02)
        rb, ra = analyze(before, "front"), analyze(after, "front")
        aligned, _ = align.align_pair(before, after, rb.doc["face"], ra.doc["face"])
        # ground truth in the before photo's frame: scene -> after photo -> aligned
        m_total, _ = align.estimate(rb.doc["face"], ra.doc["face"], size, size)
        m_total, _ = align.refine_ecc(before, after, m_total, rb.face.box)
        gt = _warp_mask(_warp_mask(truth, m_after, size), m_total, size)
        sk = _skin(before, rb) & (aligned.min(axis=-1) < 255)
        changes = align.spot_changes(before, aligned, rb.face, sk)
        new = changes["masks"][0]
        gt &= sk
        lab_after = colour.linear_to_lab(colour.srgb_to_linear(aligned))
        naive = spots.naive_spots(lab_after[..., 0], sk)
        single = spots.single_spots(
            lab_after[..., 0], sk, rb.face.interocular(), rb.face.mm_per_px()
        ).mask
        rows.append((dice(new, gt), area_error(new, gt), dice(naive, gt), dice(single, gt)))
    return rows


def redness(scene, steps=(0.0, 0.05, 0.1, 0.15, 0.2)):
    base = analyze(scene, "front")
    skin = _skin(scene, base)
    a_star, ei, rg = [], [], []
    for dh in steps:
        img = synthetic.add_chromophore(scene, skin.astype(np.float32), dh, colour.V_HB)
        region = analyze(img, "front").doc["regions"]["face"]
        a_star.append(region["mean_a_star"])
        ei.append(region["erythema_index"])
        px = img[skin].astype(np.float64)
        rg.append(float(np.mean(px[:, 0] - px[:, 1])))
    return np.array(steps), np.array(a_star), np.array(ei), np.array(rg)


def r_squared(x, y) -> float:
    slope, intercept = np.polyfit(x, y, 1)
    resid = y - (slope * x + intercept)
    total = ((y - y.mean()) ** 2).sum()
    return float(1 - (resid**2).sum() / total) if total else 0.0


def repeatability(scene, pairs=PAIRS, seed=SEED + 1):
    """Largest relative difference (%) of the colour measures over regions, per pair, and
    the same for a fixed rectangle that ignores where the face is (the baseline)."""
    rng = np.random.default_rng(seed)
    ours, fixed = [], []
    h, w = scene.shape[:2]
    box = (slice(int(0.2 * h), int(0.35 * h)), slice(int(0.38 * w), int(0.5 * w)))
    for _ in range(pairs):
        one, _ = synthetic.capture(scene, rng, shift=6, rotate=1.5, scale=0.02)
        two, _ = synthetic.capture(scene, rng, shift=6, rotate=1.5, scale=0.02)
        r1, r2 = analyze(one, "front").doc["regions"], analyze(two, "front").doc["regions"]
        worst = 0.0
        for name, m1 in r1.items():
            m2 = r2.get(name)
            for key in ("mean_a_star", "erythema_index", "ita_deg"):
                if m2 and key in m1:
                    worst = max(
                        worst, abs(m1[key] - m2[key]) / max(abs(m1[key] + m2[key]) / 2, 1e-6)
                    )
        ours.append(100 * worst)
        a1 = colour.linear_to_lab(colour.srgb_to_linear(one[box]))[..., 1].mean()
        a2 = colour.linear_to_lab(colour.srgb_to_linear(two[box]))[..., 1].mean()
        fixed.append(100 * abs(a1 - a2) / max(abs(a1 + a2) / 2, 1e-6))
    return ours, fixed


def timing(scene, runs=5):
    import cv2

    from mesoclinic.engine.photo import imagefile

    cv2.setNumThreads(1)
    data = imagefile.encode_jpeg(scene)
    analyze(imagefile.decode(data).rgb, "front")  # warm-up (cascade / model load)
    times, base = [], []
    for _ in range(runs):
        t = time.perf_counter()
        analyze(imagefile.decode(data).rgb, "front")
        times.append(time.perf_counter() - t)
        t = time.perf_counter()
        colour.linear_to_lab(colour.srgb_to_linear(imagefile.decode(data).rgb))
        base.append(time.perf_counter() - t)
    return statistics.median(times), statistics.median(base)


def run() -> list[Result]:
    from mesoclinic.engine.photo.face import landmark_package_status

    scene = _face_image()
    mode = "landmarks" if landmark_package_status() is None else "no landmarks (Haar box)"
    rows = spot_trials(scene)
    d = statistics.mean(r[0] for r in rows)
    err = statistics.mean(r[1] for r in rows)
    naive = statistics.mean(r[2] for r in rows)
    single = statistics.mean(r[3] for r in rows)
    steps, a_star, ei, rg = redness(scene)
    ours, fixed = repeatability(scene)
    per_image, lab_only = timing(scene)
    return [
        Result(f"spot Dice, before/after, {mode}", d, "", "naive global threshold", naive,
               ">= 0.85", d >= 0.85),
        Result("spot Dice, single photo (reference)", single, "", "naive global threshold",
               naive),
        Result("spot area error, before/after", 100 * err, "%", goal="within +/-10 %",
               met=abs(err) <= 0.10),
        Result("redness linearity R^2, mean a*", r_squared(steps, a_star), "",
               "mean sRGB R-G", r_squared(steps, rg), ">= 0.99",
               r_squared(steps, a_star) >= 0.99),
        Result("redness linearity R^2, erythema index", r_squared(steps, ei), "",
               "mean sRGB R-G", r_squared(steps, rg), ">= 0.99", r_squared(steps, ei) >= 0.99),
        Result("Δa* per 0.1 OD haemoglobin", float(np.polyfit(steps, a_star, 1)[0]) / 10, ""),
        Result("repeatability, worst colour measure of any region (median of pairs)",
               statistics.median(ours), "%", "a* in a fixed rectangle", statistics.median(fixed),
               "<= 2 %", statistics.median(ours) <= 2.0),
        Result("repeatability, worst pair", max(ours), "%", "a* in a fixed rectangle",
               max(fixed), "<= 2 %", max(ours) <= 2.0),
        Result(f"time per {scene.shape[1]}x{scene.shape[0]} image, one core", per_image, "s",
               "decode + Lab only", lab_only, "<= 1 s", per_image <= 1.0),
    ]  # fmt: skip
