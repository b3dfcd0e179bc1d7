"""Colour science for skin photos: sRGB <-> linear RGB <-> CIELAB, ITA°, erythema index,
optical density, and colour correction from a ColorChecker in the frame.

Formulas and their sources: docs/photo-measures.md.
"""

import math

import numpy as np

# sRGB (D65) linear RGB -> XYZ, and the D65 white (IEC 61966-2-1; CIE 15).
M_RGB_XYZ = np.array(
    [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]],
    dtype=np.float32,
)
WHITE = np.array([0.95047, 1.0, 1.08883], dtype=np.float32)
EPS = 1e-4

# Chromophore directions in optical density (R, G, B), unit length. Example vectors of
# Tsumura et al. (1999/2003) as published in niufuren/skin_decompsition (illustrative).
V_MEL = np.array([0.0246, 0.0316, 0.0394], dtype=np.float32)
V_MEL /= np.linalg.norm(V_MEL)
V_HB = np.array([0.0193, 0.0755, 0.0666], dtype=np.float32)
V_HB /= np.linalg.norm(V_HB)

# ColorChecker Classic, 24 patches row by row from "dark skin", sRGB 8-bit
# (X-Rite; Pascale 2006, "RGB coordinates of the Macbeth ColorChecker", BabelColor).
COLORCHECKER_SRGB = np.array(
    [
        [115, 82, 68], [194, 150, 130], [98, 122, 157], [87, 108, 67], [133, 128, 177],
        [103, 189, 170], [214, 126, 44], [80, 91, 166], [193, 90, 99], [94, 60, 108],
        [157, 188, 64], [224, 163, 46], [56, 61, 150], [70, 148, 73], [175, 54, 60],
        [231, 199, 31], [187, 86, 149], [8, 133, 161], [243, 243, 242], [200, 200, 200],
        [160, 160, 160], [122, 122, 121], [85, 85, 85], [52, 52, 52],
    ],
    dtype=np.float32,
)  # fmt: skip
CHART_ROWS, CHART_COLS = 4, 6


def _decode(c: np.ndarray) -> np.ndarray:
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


_LUT = _decode(np.arange(256, dtype=np.float64) / 255.0).astype(np.float32)


def srgb_to_linear(rgb: np.ndarray) -> np.ndarray:
    """uint8 sRGB (fast, through a table) or float sRGB in [0, 1] -> linear RGB, float32."""
    if rgb.dtype == np.uint8:
        return _LUT[rgb]
    return _decode(np.clip(rgb, 0.0, 1.0)).astype(np.float32)


def linear_to_srgb8(lin: np.ndarray) -> np.ndarray:
    c = np.clip(lin, 0.0, 1.0)
    out = np.where(c <= 0.0031308, c * 12.92, 1.055 * np.power(c, 1 / 2.4) - 0.055)
    return np.clip(np.rint(out * 255.0), 0, 255).astype(np.uint8)


def _f(t: np.ndarray) -> np.ndarray:
    d = 6.0 / 29.0
    return np.where(t > d**3, np.cbrt(t), t / (3 * d * d) + 4.0 / 29.0)


def linear_to_lab(lin: np.ndarray) -> np.ndarray:
    """Linear sRGB (..., 3) -> CIELAB (..., 3) under D65."""
    xyz = (lin.reshape(-1, 3) @ M_RGB_XYZ.T) / WHITE
    fx, fy, fz = (_f(xyz[:, i]) for i in range(3))
    lab = np.stack([116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)], axis=1)
    return lab.astype(np.float32).reshape(lin.shape)


def lightness(lin: np.ndarray) -> np.ndarray:
    """CIE L* only (cheaper than the full conversion)."""
    y = (
        lin[..., 0] * M_RGB_XYZ[1, 0]
        + lin[..., 1] * M_RGB_XYZ[1, 1]
        + lin[..., 2] * M_RGB_XYZ[1, 2]
    )
    return (116.0 * _f(y) - 16.0).astype(np.float32)


def ita_deg(lab: np.ndarray) -> np.ndarray:
    """Individual typology angle: atan2(L* - 50, b*) in degrees (= arctan((L*-50)/b*) for b*>0)."""
    return np.degrees(np.arctan2(lab[..., 0] - 50.0, lab[..., 2]))


def erythema_index(lin: np.ndarray) -> np.ndarray:
    """EI = 100 * log10(R / G) on linear reflectances (Dawson 1980 / Diffey 1984 form)."""
    r = np.maximum(lin[..., 0], EPS)
    g = np.maximum(lin[..., 1], EPS)
    return 100.0 * np.log10(r / g)


def optical_density(lin: np.ndarray) -> np.ndarray:
    return -np.log(np.maximum(lin, EPS))


def from_optical_density(od: np.ndarray) -> np.ndarray:
    return np.exp(-od).astype(np.float32)


def delta_e76(lab1: np.ndarray, lab2: np.ndarray) -> np.ndarray:
    return np.linalg.norm(np.asarray(lab1) - np.asarray(lab2), axis=-1)


def chart_reference_linear() -> np.ndarray:
    return srgb_to_linear(COLORCHECKER_SRGB / 255.0)


def parse_chart(text: str) -> list[list[float]]:
    """The command's --chart, "x1,y1,x2,y2,x3,y3,x4,y4", as four corners."""
    from mesoclinic.engine.inputs import InputError

    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        values = []
    if len(values) != 8 or not all(math.isfinite(v) and abs(v) < 1e6 for v in values):
        raise InputError("--chart", "expected eight numbers: x1,y1,x2,y2,x3,y3,x4,y4")
    return [values[i : i + 2] for i in range(0, 8, 2)]


def chart_patch_centres(corners: np.ndarray) -> np.ndarray:
    """The 24 patch centres in the image, from the chart's four corners (x, y) given clockwise
    from the corner next to patch 1 ("dark skin"): a perspective map of the 6 x 4 grid."""
    import cv2

    src = np.array([[0, 0], [CHART_COLS, 0], [CHART_COLS, CHART_ROWS], [0, CHART_ROWS]])
    h = cv2.getPerspectiveTransform(src.astype(np.float32), np.asarray(corners, np.float32))
    grid = np.array(
        [[c + 0.5, r + 0.5] for r in range(CHART_ROWS) for c in range(CHART_COLS)], np.float32
    )
    return cv2.perspectiveTransform(grid[None], h)[0]


def sample_patches(lin: np.ndarray, corners: np.ndarray) -> np.ndarray:
    """Median linear RGB of a small window at each patch centre (a third of a patch wide)."""
    corners = np.asarray(corners, np.float32)
    side = min(np.linalg.norm(corners[1] - corners[0]) / CHART_COLS,
               np.linalg.norm(corners[3] - corners[0]) / CHART_ROWS)  # fmt: skip
    half = max(1, int(side / 6))
    h, w = lin.shape[:2]
    out = []
    for x, y in chart_patch_centres(corners):
        xi, yi = int(round(x)), int(round(y))
        if not (half <= xi < w - half and half <= yi < h - half):
            raise ValueError("the colour chart lies partly outside the image")
        win = lin[yi - half : yi + half + 1, xi - half : xi + half + 1].reshape(-1, 3)
        out.append(np.median(win, axis=0))
    return np.array(out, np.float32)


def fit_ccm(measured: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Cheung et al. (2004) 3x3 colour correction matrix, least squares in linear RGB:
    measured @ M ~= reference."""
    m, *_ = np.linalg.lstsq(measured.astype(np.float64), reference.astype(np.float64), rcond=None)
    return m.astype(np.float32)


def apply_ccm(lin: np.ndarray, m: np.ndarray) -> np.ndarray:
    return np.clip(lin.reshape(-1, 3) @ m, 0.0, 1.0).reshape(lin.shape).astype(np.float32)


def correct_with_chart(lin: np.ndarray, corners) -> tuple[np.ndarray, dict]:
    """Colour-correct a linear image with the chart at `corners`. Returns the corrected image
    and the fit report (mean CIE76 dE of the fit and leave-one-patch-out)."""
    measured = sample_patches(lin, np.asarray(corners, np.float32))
    reference = chart_reference_linear()
    m = fit_ccm(measured, reference)
    ref_lab = linear_to_lab(reference)
    fit = delta_e76(linear_to_lab(apply_ccm(measured, m)), ref_lab)
    loo = []
    for i in range(len(measured)):
        keep = np.arange(len(measured)) != i
        mi = fit_ccm(measured[keep], reference[keep])
        loo.append(
            float(delta_e76(linear_to_lab(apply_ccm(measured[i : i + 1], mi)), ref_lab[i])[0])
        )
    report = {
        "applied": True,
        "method": "Cheung 2004 3x3 matrix, 24-patch ColorChecker",
        "fit_delta_e76": round(float(fit.mean()), 2),
        "loo_delta_e76": round(float(np.mean(loo)), 2),
    }
    return apply_ccm(lin, m), report
