"""Synthetic ground truth on real faces: spots and redness rendered in optical density
(never by painting sRGB), and the nuisances of a second capture (camera noise, a small
misalignment, JPEG). Used by the benchmark (bench/photos.py) and the tests."""

import io
from dataclasses import dataclass

import numpy as np

from . import colour


@dataclass(frozen=True)
class Spot:
    cx: float
    cy: float
    ax: float  # semi-axes in pixels
    ay: float
    angle: float  # degrees
    depth: float  # melanin optical density added at the centre


def _ellipse(shape, s: Spot, feather: float = 0.8) -> np.ndarray:
    import cv2

    k = 4  # drawn 4x larger, then reduced: smooth, sub-pixel edges
    big = np.zeros((shape[0] * k, shape[1] * k), np.uint8)
    cv2.ellipse(
        big, (round(s.cx * k), round(s.cy * k)), (max(1, round(s.ax * k)), max(1, round(s.ay * k))),
        s.angle, 0, 360, 255, -1, cv2.LINE_AA,
    )  # fmt: skip
    soft = cv2.resize(big, (shape[1], shape[0]), interpolation=cv2.INTER_AREA) / 255.0
    return cv2.GaussianBlur(soft.astype(np.float32), (0, 0), feather)


def add_chromophore(rgb: np.ndarray, soft: np.ndarray, amount, vector) -> np.ndarray:
    """rgb with `amount` x soft x vector added in optical density."""
    od = colour.optical_density(colour.srgb_to_linear(rgb))
    od = od + (np.asarray(amount, np.float32) * soft)[..., None] * vector
    return colour.linear_to_srgb8(colour.from_optical_density(od))


def render_spots(rgb: np.ndarray, spots: list[Spot]) -> tuple[np.ndarray, np.ndarray]:
    """The photo with the spots added, and the ground truth (soft mask > 0.5)."""
    depth = np.zeros(rgb.shape[:2], np.float32)
    truth = np.zeros(rgb.shape[:2], bool)
    for s in spots:
        soft = _ellipse(rgb.shape[:2], s)
        depth = np.maximum(depth, soft * s.depth)
        truth |= soft > 0.5
    return add_chromophore(rgb, depth, 1.0, colour.V_MEL), truth


def place_spots(
    inside: np.ndarray, n: int, rng: np.random.Generator, axes=(3.0, 10.0), depth=(0.2, 0.2)
) -> list[Spot]:
    """n non-overlapping spots with centres well inside the `inside` mask."""
    import cv2

    dist = cv2.distanceTransform(inside.astype(np.uint8), cv2.DIST_L2, 5)
    out: list[Spot] = []
    for _ in range(n * 50):
        if len(out) == n:
            break
        ax, ay = rng.uniform(*axes), rng.uniform(*axes)
        ys, xs = np.nonzero(dist > max(ax, ay) + 3)
        if not len(xs):
            break
        i = rng.integers(len(xs))
        cx, cy = float(xs[i]), float(ys[i])
        if all(np.hypot(cx - o.cx, cy - o.cy) > max(ax, ay) + max(o.ax, o.ay) + 6 for o in out):
            out.append(Spot(cx, cy, ax, ay, float(rng.uniform(0, 180)), float(rng.uniform(*depth))))
    return out


def capture(
    rgb: np.ndarray,
    rng: np.random.Generator,
    *,
    noise: float = 1.2,
    shift: float = 0.0,
    rotate: float = 0.0,
    scale: float = 0.0,
    gain: float = 0.0,
    jpeg: int | None = 92,
) -> tuple[np.ndarray, np.ndarray]:
    """A second capture of the same scene: a random similarity warp of up to `shift` px,
    `rotate` degrees and `scale` (fraction), Gaussian noise of `noise`/255 and a JPEG round
    trip; with `gain`, a light level changed by up to that fraction (linear RGB). Returns the
    image and the 2 x 3 matrix that was applied (scene -> image)."""
    import cv2
    from PIL import Image

    h, w = rgb.shape[:2]
    angle = float(rng.uniform(-rotate, rotate))
    k = 1.0 + float(rng.uniform(-scale, scale))
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, k)
    m[:, 2] += rng.uniform(-shift, shift, 2)
    out = cv2.warpAffine(rgb, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    if gain:
        level = 1.0 + float(rng.uniform(-gain, gain))
        out = colour.linear_to_srgb8(colour.srgb_to_linear(out) * np.float32(level))
    out = out.astype(np.float32) + rng.normal(0.0, noise, out.shape).astype(np.float32)
    out = np.clip(np.rint(out), 0, 255).astype(np.uint8)
    if jpeg:
        buf = io.BytesIO()
        Image.fromarray(out).save(buf, "JPEG", quality=jpeg)
        out = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB")).copy()
    return out, m.astype(np.float32)


def upscale(rgb: np.ndarray, pixels: int) -> np.ndarray:
    import cv2

    h, w = rgb.shape[:2]
    s = (pixels / (h * w)) ** 0.5
    return cv2.resize(rgb, (round(w * s), round(h * s)), interpolation=cv2.INTER_CUBIC)


def render_chart(rgb: np.ndarray, x: int, y: int, patch: int) -> tuple[np.ndarray, np.ndarray]:
    """The photo with a ColorChecker drawn at (x, y), `patch` px per patch on a black frame;
    returns the image and the chart's four corners."""
    out = rgb.copy()
    rows, cols = colour.CHART_ROWS, colour.CHART_COLS
    out[y - 4 : y + rows * patch + 4, x - 4 : x + cols * patch + 4] = 20
    for i, c in enumerate(colour.COLORCHECKER_SRGB.astype(np.uint8)):
        r, q = divmod(i, cols)
        out[
            y + r * patch + 2 : y + (r + 1) * patch - 2, x + q * patch + 2 : x + (q + 1) * patch - 2
        ] = c
    corners = np.array(
        [
            [x, y],
            [x + cols * patch, y],
            [x + cols * patch, y + rows * patch],
            [x, y + rows * patch],
        ],
        np.float32,
    )
    return out, corners


def colour_cast(rgb: np.ndarray, gains=(1.15, 1.0, 0.82), exposure: float = 0.9) -> np.ndarray:
    """A different camera and light: per-channel gains and exposure in linear RGB."""
    lin = colour.srgb_to_linear(rgb) * np.asarray(gains, np.float32) * exposure
    return colour.linear_to_srgb8(lin)


def add_melanin(rgb: np.ndarray, amount: float) -> np.ndarray:
    """The whole photo with `amount` of melanin optical density added (negative: removed),
    the tone shift of the validation (a darker or lighter skin type; synthetic)."""
    od = colour.optical_density(colour.srgb_to_linear(rgb)) + np.float32(amount) * colour.V_MEL
    return colour.linear_to_srgb8(colour.from_optical_density(od))


def melanin_for_ita(rgb: np.ndarray, skin: np.ndarray, target_deg: float) -> float:
    """The melanin OD to add so that the median ITA° over `skin` is `target_deg` (bisection;
    ITA falls as melanin rises)."""
    lo, hi = -3.0, 4.0
    for _ in range(22):
        mid = (lo + hi) / 2
        lab = colour.linear_to_lab(colour.srgb_to_linear(add_melanin(rgb, mid)[skin]))
        if float(np.median(colour.ita_deg(lab))) > target_deg:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2
