"""The capture check: is the photo sharp, well exposed, and is the head turned as the view
asks? Each problem is an issue with a code (the application translates it) and an English
message (the command prints it)."""

import numpy as np

SHARP_MIN = 12.0  # variance of the Laplacian of the face, grey 0-255, scaled to 256 px wide
CLIPPED_MAX_PCT = 3.0  # burnt-out skin pixels (any channel >= 250)
DARK_L_MIN = 30.0  # median skin L* below this: underexposed
BRIGHT_L_MAX = 88.0  # median skin L* above this: overexposed
POSE = {  # view -> (yaw min, yaw max) in degrees; positive yaw shows the patient's right cheek
    "front": (-12.0, 12.0),
    "left45": (-65.0, -20.0),
    "right45": (20.0, 65.0),
}
ROLL_MAX = 12.0

MESSAGES = {
    "no_face": "No face was found in the photo.",
    "blurred": "The photo is blurred: hold the camera still and focus on the face.",
    "overexposed": "The photo is too bright: parts of the skin are burnt out.",
    "underexposed": "The photo is too dark.",
    "pose_turned": "The head is turned: for the front view, face the camera.",
    "pose_not_turned": "The head is not turned enough for a 45-degree view.",
    "pose_too_turned": "The head is turned too far for a 45-degree view.",
    "pose_wrong_side": "The head is turned to the wrong side for this view.",
    "pose_tilted": "The head is tilted: keep the eyes level.",
}


def issue(code: str) -> dict[str, str]:
    return {"code": code, "message": MESSAGES[code]}


def sharpness(grey: np.ndarray) -> float:
    """Variance of the Laplacian after scaling the area to 256 px wide (scale-independent)."""
    import cv2

    h, w = grey.shape
    if w != 256:
        grey = cv2.resize(grey, (256, max(8, round(h * 256 / w))), interpolation=cv2.INTER_AREA)
    return float(cv2.Laplacian(grey.astype(np.float32), cv2.CV_32F).var())


def exposure(rgb_px: np.ndarray, lightness_px: np.ndarray) -> dict[str, float]:
    clipped = float((rgb_px.max(axis=-1) >= 250).mean() * 100) if rgb_px.size else 0.0
    median = float(np.median(lightness_px)) if lightness_px.size else 0.0
    return {"clipped_pct": round(clipped, 2), "median_l_star": round(median, 1)}


def exposure_issues(expo: dict[str, float]) -> list[str]:
    out = []
    if expo["clipped_pct"] > CLIPPED_MAX_PCT or expo["median_l_star"] > BRIGHT_L_MAX:
        out.append("overexposed")
    if expo["median_l_star"] < DARK_L_MIN:
        out.append("underexposed")
    return out


def pose_issues(view: str, pose: dict[str, float]) -> list[str]:
    lo, hi = POSE[view]
    yaw = pose["yaw_deg"]
    out = []
    if view == "front" and not lo <= yaw <= hi:
        out.append("pose_turned")
    elif view != "front" and not lo <= yaw <= hi:
        if (yaw > 0) != (lo > 0) and abs(yaw) > POSE["front"][1]:
            out.append("pose_wrong_side")
        elif abs(yaw) < min(abs(lo), abs(hi)):
            out.append("pose_not_turned")
        else:
            out.append("pose_too_turned")
    if abs(pose["roll_deg"]) > ROLL_MAX:
        out.append("pose_tilted")
    return out
