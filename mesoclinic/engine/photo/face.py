"""Finding the face: landmarks from mediapipe 0.10.21 (a main dependency; the last
release with the Face Mesh model inside the wheel), else a box from OpenCV's Haar cascades.

mediapipe is imported lazily, on first use. Without it, `landmarks_for` raises
LandmarksUnavailable with the reason, and the caller says which measures it cannot give.
"""

import importlib
import math
import threading
from dataclasses import dataclass

import numpy as np

LANDMARK_PACKAGE = "mediapipe"
INTEROCULAR_MM = 63.0  # mean adult interpupillary distance (Dodgson 2004)
IRIS_MM = 11.7  # horizontal visible iris diameter, the constant of MediaPipe Iris
FACE_BOX_MM = 150.0  # a Haar box spans about the face's width: a coarse scale only

# Stable points for alignment: eye corners, nasion, nose tip and mouth corners.
ALIGN_POINTS = (33, 133, 362, 263, 168, 1, 61, 291)


class LandmarksUnavailable(Exception):
    """The landmark package cannot be used here; str() is the reason."""


@dataclass
class Face:
    box: tuple[int, int, int, int]  # x, y, w, h in image pixels
    landmarks: np.ndarray | None  # (N, 2) image pixels, N = 468 or 478
    source: str  # "landmarks" or "haar"

    @property
    def align_points(self) -> np.ndarray | None:
        if self.landmarks is None:
            return None
        return self.landmarks[list(ALIGN_POINTS)]

    def mm_per_px(self) -> float:
        """Physical scale: from the iris when refined landmarks exist, else the eye centres,
        else the Haar box (coarse)."""
        lm = self.landmarks
        if lm is None:
            return FACE_BOX_MM / max(self.box[2], 1)
        if len(lm) >= 478:
            iris = (np.linalg.norm(lm[469] - lm[471]) + np.linalg.norm(lm[474] - lm[476])) / 2
            if iris > 2:
                return float(IRIS_MM / iris)
        return float(INTEROCULAR_MM / max(self.interocular(), 1.0))

    def interocular(self) -> float:
        """Distance between the eye centres in pixels (landmarks) or 0.42 x box width."""
        if self.landmarks is None:
            return 0.42 * self.box[2]
        lm = self.landmarks
        return float(np.linalg.norm((lm[33] + lm[133]) / 2 - (lm[362] + lm[263]) / 2))


_lock = threading.Lock()
_mesh = None


def _import_landmark_package():
    try:
        mp = importlib.import_module(LANDMARK_PACKAGE)
    except ImportError:
        raise LandmarksUnavailable(
            "the landmark package (mediapipe 0.10.21) cannot be imported on this machine"
        ) from None
    solutions = getattr(mp, "solutions", None)
    if solutions is None or not hasattr(solutions, "face_mesh"):
        raise LandmarksUnavailable(
            "the installed mediapipe has no Face Mesh model inside it (0.10.21 is needed)"
        )
    return solutions.face_mesh


def landmark_package_status() -> str | None:
    """None when landmarks can be computed here, else the reason they cannot."""
    try:
        _import_landmark_package()
    except LandmarksUnavailable as exc:
        return str(exc)
    return None


def landmarks_for(rgb: np.ndarray) -> np.ndarray | None:
    """478 face landmarks in image pixels, or None when no face is found.
    Raises LandmarksUnavailable without the package."""
    global _mesh
    face_mesh = _import_landmark_package()
    with _lock:  # one shared graph; mediapipe's graphs are not thread-safe
        if _mesh is None:
            _mesh = face_mesh.FaceMesh(
                static_image_mode=True, max_num_faces=1, refine_landmarks=True
            )
        result = _mesh.process(np.ascontiguousarray(rgb))
    faces = getattr(result, "multi_face_landmarks", None)
    if not faces:
        return None
    h, w = rgb.shape[:2]
    return np.array([(p.x * w, p.y * h) for p in faces[0].landmark], dtype=np.float32)


def reset() -> None:
    """Forget the cached landmark graph (tests swap the package in and out)."""
    global _mesh
    _mesh = None


def _cascade(name: str):
    import cv2

    data = getattr(cv2, "data", None)
    if data is None or not hasattr(cv2, "CascadeClassifier"):
        return None  # OpenCV 5 wheels ship no cascades
    clf = cv2.CascadeClassifier(data.haarcascades + name)
    return None if clf.empty() else clf


def haar_face(rgb: np.ndarray, *, profile: bool = False) -> tuple[int, int, int, int] | None:
    """The most confident face box from the frontal cascade (and, for turned views, the profile
    cascade on the image and its mirror), on a copy at most 640 px wide."""
    import cv2

    h, w = rgb.shape[:2]
    scale = min(1.0, 640.0 / max(h, w))
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    if scale < 1.0:
        grey = cv2.resize(grey, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
    min_side = max(24, min(grey.shape) // 8)
    found = []
    names = ["haarcascade_frontalface_default.xml"]
    if profile:
        names.append("haarcascade_profileface.xml")
    for name in names:
        clf = _cascade(name)
        if clf is None:
            continue
        for mirrored in (False, True) if name.startswith("haarcascade_profile") else (False,):
            img = grey[:, ::-1] if mirrored else grey
            boxes, _, weights = clf.detectMultiScale3(
                img, 1.1, 5, minSize=(min_side, min_side), outputRejectLevels=True
            )
            for (x, y, bw, bh), weight in zip(
                np.asarray(boxes).reshape(-1, 4), np.asarray(weights).ravel(), strict=True
            ):
                x = grey.shape[1] - x - bw if mirrored else x
                found.append((float(weight), (int(x), int(y), int(bw), int(bh))))
    if not found:
        return None
    x, y, bw, bh = max(found)[1]  # the most confident detection
    return (round(x / scale), round(y / scale), round(bw / scale), round(bh / scale))


def find_face(rgb: np.ndarray, view: str) -> tuple[Face | None, str | None]:
    """The face and, when landmarks could not be used, the reason. Landmarks first; the
    Haar box is the fall-back."""
    reason = None
    try:
        lm = landmarks_for(rgb)
    except LandmarksUnavailable as exc:
        lm, reason = None, str(exc)
    if lm is not None:
        x0, y0 = np.floor(lm.min(axis=0)).astype(int)
        x1, y1 = np.ceil(lm.max(axis=0)).astype(int)
        return Face((int(x0), int(y0), int(x1 - x0), int(y1 - y0)), lm, "landmarks"), None
    if reason is None:
        reason = "the landmark model found no face"
    box = haar_face(rgb, profile=view != "front")
    return (Face(box, None, "haar") if box else None), reason


def head_pose(lm: np.ndarray) -> dict[str, float]:
    """Rough yaw and roll in degrees from the landmarks. Yaw is positive when the nose
    points to the image's right (the patient shows their right cheek)."""
    left, right, nose = lm[234], lm[454], lm[1]
    mid = (left + right) / 2
    half = max(float(np.linalg.norm(right - left)) / 2, 1.0)
    ratio = float(np.clip((nose[0] - mid[0]) / half, -1.0, 1.0))
    eye_l, eye_r = (lm[33] + lm[133]) / 2, (lm[362] + lm[263]) / 2
    roll = math.degrees(math.atan2(eye_r[1] - eye_l[1], eye_r[0] - eye_l[0]))
    return {"yaw_deg": round(math.degrees(math.asin(ratio)), 1), "roll_deg": round(roll, 1)}
