"""Image analysis of before/after photos: capture check, region measures, alignment.

Pure: numpy, OpenCV and Pillow; no Django. The landmark package (mediapipe
0.10.21) is imported lazily; without it the analysis says what it cannot measure.
"""

from .analysis import FACE_VIEWS, HAIR_VIEWS, MEASURES, VIEWS, Analysis, analyze
from .imagefile import UnsafeImage, decode
from .regions import FACE_REGIONS

__all__ = [
    "FACE_REGIONS",
    "FACE_VIEWS",
    "HAIR_VIEWS",
    "MEASURES",
    "VIEWS",
    "Analysis",
    "UnsafeImage",
    "analyze",
    "decode",
    "measure_file",
]


ANALYSIS_MAX_SIDE = 3000  # photos are decoded at most this many pixels on a side


def measure_file(data: bytes, view: str = "front", chart=None, **limits) -> dict:
    """The `photo-measure` document for the bytes of one photo (the command's path). The
    photo is decoded already reduced (memory stays bounded for a 40-megapixel file); chart
    corners and the reported size stay in the file's own pixels."""
    limits.setdefault("max_side", ANALYSIS_MAX_SIDE)
    decoded = decode(data, **limits)
    h, w = decoded.rgb.shape[:2]
    scale = max(h, w) / max(decoded.original_size)
    if chart is not None and scale != 1:
        chart = [(x * scale, y * scale) for x, y in chart]
    doc = analyze(decoded.rgb, view, chart=chart).doc
    if scale != 1:
        doc["image"].update(width=round(w / scale), height=round(h / scale))
    return doc
