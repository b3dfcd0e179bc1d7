import numpy as np
import pytest

from mesoclinic.engine.inputs import InputError
from mesoclinic.engine.photo import FACE_REGIONS, MEASURES, analyze, quality, synthetic
from mesoclinic.engine.photo import face as face_mod

from .conftest import face, landmark_points


def _unavailable(doc) -> dict:
    return {u["region"]: u for u in doc["unavailable"]}


def test_with_landmarks_every_region_is_measured(fake_landmarks):
    doc = analyze(face(256), "front").doc
    assert doc["face_found"] and doc["face"]["source"] == "landmarks"
    assert doc["quality"] == doc["quality"] | {"sharp": True, "exposure_ok": True, "pose_ok": True}
    # the astronaut's fringe covers most of her forehead: said, not measured
    assert set(doc["regions"]) == {"face", *FACE_REGIONS} - {"forehead"}
    for values in doc["regions"].values():
        assert set(MEASURES) <= set(values)
    assert doc["unavailable"] == [
        {"region": "forehead", "measures": list(MEASURES),
         "reason": "mostly hidden (hair, shadow or glare)"}
    ]  # fmt: skip
    assert doc["issues"] == []
    assert len(doc["face"]["align_points"]) == 8 and doc["face"]["mm_per_px"] > 0


def test_without_landmarks_says_what_it_cannot_measure(no_landmarks):
    doc = analyze(face(256), "front").doc
    assert doc["face_found"] and doc["face"]["source"] == "haar"
    assert doc["quality"]["pose_ok"] is None
    assert set(doc["regions"]) == {"face"}
    assert set(doc["regions"]["face"]) == {"mean_a_star", "erythema_index", "ita_deg"}
    missing = _unavailable(doc)
    for name in FACE_REGIONS:
        assert "cannot be imported" in missing[name]["reason"]
        assert missing[name]["measures"] == list(MEASURES)
    assert missing["face"]["measures"] == ["pigmented_area_pct", "spot_count"]
    assert "cannot be imported" in missing["quality"]["reason"]
    assert any("Landmarks unavailable" in w for w in doc["warnings"])


def test_colour_measures_agree_with_and_without_landmarks(fake_landmarks, monkeypatch):
    with_lm = analyze(face(256), "front").doc["regions"]["face"]
    monkeypatch.setattr(face_mod, "LANDMARK_PACKAGE", "no_such_package_here")
    without = analyze(face(256), "front").doc["regions"]["face"]
    assert with_lm["mean_a_star"] == pytest.approx(without["mean_a_star"], abs=1.5)
    assert with_lm["ita_deg"] == pytest.approx(without["ita_deg"], abs=6)


def test_no_face(no_landmarks):
    doc = analyze(np.full((120, 160, 3), 128, np.uint8), "front").doc
    assert not doc["face_found"] and doc["regions"] == {}
    assert [i["code"] for i in doc["issues"]] == ["no_face", "blurred"]
    assert _unavailable(doc)["*"]["reason"] == "no face was found"


def test_landmark_model_finds_no_face_falls_back_to_haar(fake_landmarks):
    fake_landmarks.points = None
    doc = analyze(face(256), "front").doc
    assert doc["face"]["source"] == "haar"
    assert "found no face" in _unavailable(doc)["forehead"]["reason"]


def test_mediapipe_without_face_mesh(monkeypatch):
    import sys
    import types

    monkeypatch.setitem(sys.modules, "mediapipe", types.ModuleType("mediapipe"))
    assert "0.10.21 is needed" in face_mod.landmark_package_status()


def test_turned_view_hides_the_far_side(fake_landmarks):
    doc = analyze(face(256), "left45").doc
    assert "right_cheek" not in doc["regions"] and "left_cheek" in doc["regions"]
    assert _unavailable(doc)["right_cheek"]["reason"] == "not visible in this view"
    assert doc["quality"]["pose_ok"] is False
    assert [i["code"] for i in doc["issues"]] == ["pose_not_turned"]


def test_small_faces(fake_landmarks):
    tiny = analyze(face(48), "front").doc
    assert _unavailable(tiny)["*"]["reason"] == "too little clean skin is visible"
    small = analyze(face(128), "front").doc
    assert any(u["reason"] == "too little clean skin in this region" for u in small["unavailable"])


def test_large_photos_are_measured_at_about_2_mp(no_landmarks):
    doc = analyze(face(512), "front", work_pixels=200_000).doc
    assert doc["image"]["width"] == 512 and doc["image"]["analysed_width"] < 512
    assert doc["face_found"]


def test_scalp_and_body_views():
    img = face(128)
    for view in ("vertex", "hairline"):
        doc = analyze(img, view).doc
        assert set(doc["regions"]) == {"scalp"}
        assert 0 < doc["regions"]["scalp"]["scalp_visible_pct"] < 100
        assert _unavailable(doc)["scalp"]["measures"] == ["pigmented_area_pct", "spot_count"]
    body = analyze(img, "body").doc
    assert set(body["regions"]["body"]) == set(MEASURES)
    assert _unavailable(body)["quality"]["reason"] == "no pose check for this view"
    tiny = analyze(img[:8, :8], "body").doc
    assert _unavailable(tiny)["body"]["reason"] == "too little skin is visible"


def test_unknown_view_and_chart(no_landmarks):
    with pytest.raises(InputError, match="--view"):
        analyze(face(64), "side")
    scene, corners = synthetic.render_chart(face(256), 10, 150, 16)
    doc = analyze(synthetic.colour_cast(scene), "front", chart=corners).doc
    assert doc["colour_correction"]["applied"] and doc["colour_correction"]["fit_delta_e76"] < 3
    assert not any("No colour chart" in w for w in doc["warnings"])
    with pytest.raises(InputError, match="--chart"):
        analyze(face(64), "front", chart=[[0, 0], [500, 0], [500, 300], [0, 300]])


def test_quality_checks():
    blurred = quality.sharpness(np.full((50, 50), 100, np.uint8))
    assert blurred < quality.SHARP_MIN
    assert quality.exposure_issues({"clipped_pct": 10.0, "median_l_star": 60}) == ["overexposed"]
    assert quality.exposure_issues({"clipped_pct": 0.0, "median_l_star": 20}) == ["underexposed"]
    assert quality.exposure(np.zeros((0, 3)), np.zeros(0)) == {
        "clipped_pct": 0.0,
        "median_l_star": 0.0,
    }
    cases = [
        ("front", 20, 0, ["pose_turned"]),
        ("front", 0, 20, ["pose_tilted"]),
        ("left45", 40, 0, ["pose_wrong_side"]),
        ("left45", -10, 0, ["pose_not_turned"]),
        ("left45", -80, 0, ["pose_too_turned"]),
        ("right45", 45, 0, []),
    ]
    for view, yaw, roll, expected in cases:
        assert quality.pose_issues(view, {"yaw_deg": yaw, "roll_deg": roll}) == expected


def test_face_scale_and_pose():
    lm = landmark_points() * 512
    full = face_mod.Face((0, 0, 100, 100), lm, "landmarks")
    assert 0.5 < full.mm_per_px() < 3
    mesh468 = face_mod.Face((0, 0, 100, 100), lm[:468], "landmarks")
    assert mesh468.mm_per_px() == pytest.approx(63.0 / mesh468.interocular())
    flat = lm.copy()
    flat[468:] = flat[468]  # an iris of no size: fall back to the eye distance
    assert face_mod.Face((0, 0, 1, 1), flat, "landmarks").mm_per_px() == pytest.approx(
        63.0 / mesh468.interocular()
    )
    box = face_mod.Face((0, 0, 150, 150), None, "haar")
    assert box.mm_per_px() == 1.0 and box.align_points is None and box.interocular() == 63.0
    pose = face_mod.head_pose(lm)
    assert abs(pose["yaw_deg"]) < 5 and abs(pose["roll_deg"]) < 5


def test_haar_without_cascades(monkeypatch):
    import cv2

    monkeypatch.delattr(cv2, "data")
    assert face_mod.haar_face(face(128)) is None
    monkeypatch.undo()
    assert face_mod._cascade("no-such-cascade.xml") is None


def test_profile_cascade_is_tried_for_turned_views():
    img = np.ascontiguousarray(face(256)[:, ::-1])
    assert face_mod.haar_face(img, profile=True) is not None


def test_status_and_large_images(fake_landmarks):
    assert face_mod.landmark_package_status() is None
    assert quality.sharpness(np.tile(np.arange(256, dtype=np.uint8), (40, 1))) >= 0
    big = np.zeros((700, 800, 3), np.uint8)
    assert face_mod.haar_face(big) is None


def test_the_default_install_has_the_real_landmark_package():
    """mediapipe 0.10.21 is a main dependency: the README's set-up gives every measure, with
    the model from inside the wheel (nothing downloaded)."""
    assert face_mod.landmark_package_status() is None
    face_mod.reset()
    doc = analyze(face(512), "front").doc
    assert all("pigmented_area_pct" in doc["regions"][r] for r in doc["regions"])
    assert doc["face"]["source"] == "landmarks" and doc["quality"]["pose_ok"] is True
    assert set(doc["regions"]) | {u["region"] for u in doc["unavailable"]} == {
        "face",
        *FACE_REGIONS,
    }
    real = np.array(doc["face"]["align_points"])
    stored = landmark_points()[list(face_mod.ALIGN_POINTS)]
    assert np.abs(real - stored).max() < 0.01  # the fixture is what mediapipe computes
