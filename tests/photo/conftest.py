"""Photo-engine fixtures: a real face shipped inside scikit-image, and the landmark package
either absent (import blocked) or replaced by a fake that returns the landmarks mediapipe
0.10.21 computed on that face (tests/photo/data/astronaut_landmarks.json)."""

import json
import sys
import types
from functools import cache
from pathlib import Path

import numpy as np
import pytest

DATA = Path(__file__).parent / "data"


@cache
def _astronaut() -> np.ndarray:
    from skimage import data

    return data.astronaut()


@cache
def landmark_points() -> np.ndarray:
    return np.array(json.loads((DATA / "astronaut_landmarks.json").read_text())["points"])


def face(size: int = 256) -> np.ndarray:
    import cv2

    return cv2.resize(_astronaut(), (size, size), interpolation=cv2.INTER_AREA)


class _Point:
    def __init__(self, x, y):
        self.x, self.y = float(x), float(y)


class FakeFaceMesh:
    """Stands in for mediapipe.solutions.face_mesh.FaceMesh."""

    points: np.ndarray | None = None
    calls = 0

    def __init__(self, **kwargs):
        self.kwargs = kwargs

    def process(self, rgb):
        FakeFaceMesh.calls += 1
        if FakeFaceMesh.points is None:
            return types.SimpleNamespace(multi_face_landmarks=None)
        marks = [_Point(x, y) for x, y in FakeFaceMesh.points]
        return types.SimpleNamespace(multi_face_landmarks=[types.SimpleNamespace(landmark=marks)])


@pytest.fixture
def no_landmarks(monkeypatch):
    """The landmark package cannot be imported (a machine without it): importing it fails."""
    from mesoclinic.engine.photo import face as face_mod

    monkeypatch.setitem(sys.modules, "mediapipe", None)
    face_mod.reset()
    yield
    face_mod.reset()


@pytest.fixture
def fake_landmarks(monkeypatch):
    """A mediapipe stand-in that 'finds' the astronaut's landmarks (normalised, so any size)."""
    from mesoclinic.engine.photo import face as face_mod

    mp = types.ModuleType("mediapipe")
    mp.solutions = types.SimpleNamespace(face_mesh=types.SimpleNamespace(FaceMesh=FakeFaceMesh))
    FakeFaceMesh.points = landmark_points()
    monkeypatch.setitem(sys.modules, "mediapipe", mp)
    face_mod.reset()
    yield FakeFaceMesh
    FakeFaceMesh.points = None
    face_mod.reset()
