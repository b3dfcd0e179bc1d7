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


def measure_file(data: bytes, view: str = "front", chart=None, **limits) -> dict:
    """The `photo-measure` document for the bytes of one photo (the command's path)."""
    return analyze(decode(data, **limits).rgb, view, chart=chart).doc
