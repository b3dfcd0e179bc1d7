import numpy as np
import pytest

from mesoclinic.engine.photo import align, analyze, colour, regions, spots, synthetic
from mesoclinic.engine.photo.face import Face

from .conftest import face


def test_similarity_recovers_a_known_transform():
    rng = np.random.default_rng(1)
    src = rng.uniform(0, 100, (8, 2))
    angle = np.radians(7)
    r = 1.1 * np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    dst = src @ r.T + [5, -3]
    m = align.similarity(src, dst)
    assert m[:, :2] == pytest.approx(r, abs=1e-4) and m[:, 2] == pytest.approx([5, -3], abs=1e-3)
    mirrored = align.similarity(src, src * [-1, 1])  # a reflection is never returned
    assert np.linalg.det(mirrored[:, :2]) > 0


def test_box_transform():
    m = align.box_transform((10, 10, 50, 50), (20, 30, 100, 100))
    assert m @ [35, 35, 1] == pytest.approx([70, 80])


def test_ecc_fails_gracefully_on_flat_images():
    flat = np.full((64, 64, 3), 120, np.uint8)
    m = np.eye(2, 3, dtype=np.float32)
    out, ok = align.refine_ecc(flat, flat, m, (10, 10, 40, 40))
    assert not ok and out == pytest.approx(m)


def _pair(depth, fake=True):
    rng = np.random.default_rng(7)
    scene = face(384)
    base = analyze(scene, "front")
    lab = colour.linear_to_lab(colour.srgb_to_linear(scene))
    inside = regions.skin_gate(lab, regions.box_ellipse(lab.shape[:2], base.face.box, 0.6))
    placed = synthetic.place_spots(inside, 4, rng, axes=(3, 6), depth=(depth, depth))
    after_scene, truth = synthetic.render_spots(scene, placed)
    before, _ = synthetic.capture(scene, rng, shift=3, rotate=1.0)
    after, m = synthetic.capture(after_scene, rng, shift=3, rotate=1.0)
    return before, after, truth, m


@pytest.mark.parametrize("mode", ["fake_landmarks", "no_landmarks"])
def test_new_spots_are_found_after_alignment(mode, request):
    request.getfixturevalue(mode)
    before, after, truth, _m = _pair(0.5)
    rb, ra = analyze(before, "front"), analyze(after, "front")
    aligned, how = align.align_pair(before, after, rb.doc["face"], ra.doc["face"])
    assert how["method"] == ("landmarks" if mode == "fake_landmarks" else "face box")
    changes = align.spot_changes(before, aligned, rb.face)
    assert changes["new_count"] >= 2 and changes["new_area_pct"] > 0.3
    assert changes["faded_area_pct"] < changes["new_area_pct"]
    unrefined, how = align.align_pair(before, after, rb.doc["face"], ra.doc["face"], refine=False)
    assert not how["ecc_refined"] and unrefined.shape == before.shape


def test_differences_per_region():
    before = {"regions": {"face": {"mean_a_star": 8.0, "spot_count": 3}, "forehead": {"x": 1}}}
    after = {"regions": {"face": {"mean_a_star": 9.5, "spot_count": 1, "new": 2}}}
    assert align.differences(before, after) == {"face": {"mean_a_star": 1.5, "spot_count": -2}}


def test_segment_edges_and_baselines():
    contrast = np.zeros((40, 40), np.float32)
    skin = np.ones_like(contrast, bool)
    assert spots.segment(contrast, skin, min_area_px=3, seed_floor=1.0).count == 0
    contrast[10:16, 10:16] = 5.0
    contrast[30, 30] = 5.0  # one pixel: below the size cut-off
    found = spots.segment(contrast, skin, min_area_px=3, seed_floor=1.0)
    assert found.count == 1 and found.mask.sum() == 36
    rim = np.zeros_like(skin)
    rim[10, :] = True
    assert spots.drop_touching(found, rim).count == 0
    assert spots.robust_sd(np.array([])) == 0.0
    assert (
        spots.naive_spots(np.arange(100, dtype=np.float32).reshape(10, 10), skin[:10, :10]).sum()
        == 5
    )
    assert spots.min_area_px(0.1) == 100
    back = spots.smooth_background(np.ones((30, 30), np.float32), np.zeros((30, 30), bool), 20)
    assert back.shape == (30, 30)


def test_spots_measured_on_a_face_with_rendered_lentigines(fake_landmarks):
    rng = np.random.default_rng(3)
    scene = face(512)
    base = analyze(scene, "front")
    iod = base.face.interocular()
    cheek = regions.region_masks(scene.shape[:2], base.face.landmarks, iod)["left_cheek"]["left"]
    # well inside the cheek: spots that reach the face's rim (hair, shadow) are left out
    inner = regions.erode(cheek, 0.1 * iod)
    placed = synthetic.place_spots(inner, 2, rng, axes=(3, 4), depth=(1.5, 1.5))
    spotted, _truth = synthetic.render_spots(scene, placed)
    before = base.doc["regions"]["left_cheek"]
    after = analyze(spotted, "front").doc["regions"]["left_cheek"]
    assert after["spot_count"] >= before["spot_count"] + len(placed) >= before["spot_count"] + 1
    assert after["pigmented_area_pct"] > before["pigmented_area_pct"]


def test_redness_moves_a_star_linearly(no_landmarks):
    scene = face(256)
    base = analyze(scene, "front")
    lab = colour.linear_to_lab(colour.srgb_to_linear(scene))
    skin = regions.skin_gate(lab, regions.box_ellipse(lab.shape[:2], base.face.box))
    values = []
    for dh in (0.0, 0.1, 0.2):
        img = synthetic.add_chromophore(scene, skin.astype(np.float32), dh, colour.V_HB)
        values.append(analyze(img, "front").doc["regions"]["face"]["mean_a_star"])
    assert values[0] < values[1] < values[2]
    assert values[2] - values[1] == pytest.approx(values[1] - values[0], rel=0.25)


def test_synthetic_helpers():
    rng = np.random.default_rng(0)
    assert synthetic.place_spots(np.zeros((20, 20), bool), 3, rng) == []
    img = synthetic.upscale(face(64), 128 * 128)
    assert img.shape[:2] == (128, 128)
    raw, _m = synthetic.capture(img, rng, jpeg=None)
    assert raw.shape == img.shape
    assert Face((0, 0, 10, 10), None, "haar").align_points is None


def test_refine_without_a_box_and_changes_on_a_given_skin(no_landmarks):
    before, after, _truth, _m = _pair(0.5)
    m, ok = align.refine_ecc(before, after, np.eye(2, 3, dtype=np.float32))
    assert ok and m.shape == (2, 3)
    rb = analyze(before, "front")
    skin = np.zeros(before.shape[:2], bool)
    skin[100:200, 100:200] = True
    changes = align.spot_changes(before, before, rb.face, skin)
    assert changes["new_area_pct"] == 0 and changes["faded_area_pct"] == 0


def _blurred_disc(radius, amplitude=1.0, size=96, blur=1.0):
    import cv2

    ys, xs = np.mgrid[0:size, 0:size]
    disc = ((xs - size / 2) ** 2 + (ys - size / 2) ** 2 <= radius**2).astype(np.float32)
    return cv2.GaussianBlur(disc * amplitude, (0, 0), blur)


def test_spot_edge_is_at_half_the_amplitude_not_half_the_noisiest_pixel():
    rng = np.random.default_rng(5)
    skin = np.ones((96, 96), bool)
    clean = _blurred_disc(10.0)
    truth = (clean >= 0.5).sum()
    noisy = clean + rng.normal(0.0, 0.12, clean.shape).astype(np.float32)
    found = spots.segment(noisy, skin, min_area_px=3, seed_floor=0.3)
    assert found.count == 1
    # half the brightest pixel (~1 + 3.5 SD here) as the edge lost a tenth of it (279 px)
    assert found.mask.sum() == pytest.approx(truth, rel=0.06)
    spiked = clean.copy()
    spiked[48, 48] = 3.0  # one hot pixel does not move the edge (it erased the spot before)
    assert spots.segment(spiked, skin, min_area_px=3, seed_floor=0.3).mask.sum() == truth


def test_small_spot_without_a_core_keeps_its_half_maximum():
    skin = np.ones((96, 96), bool)
    small = _blurred_disc(1.5, blur=0.8)
    found = spots.segment(small, skin, min_area_px=3, seed_floor=0.1)
    assert found.count == 1
    assert found.mask.sum() == (small >= 0.5 * small.max()).sum()


def test_pigment_is_kept_and_a_grey_shadow_of_the_same_depth_is_not():
    """The single-photo detector on a flat skin patch: a brown (melanin) spot is found with
    about its true area; a spot darkened along grey only (a shadow, a fold) is dropped."""
    skin_rgb = np.full((120, 240, 3), (205, 160, 135), np.uint8)
    brown = synthetic.Spot(60, 60, 8, 8, 0, 0.5)
    spotted, truth = synthetic.render_spots(skin_rgb, [brown])
    soft = synthetic._ellipse(skin_rgb.shape[:2], synthetic.Spot(180, 60, 8, 8, 0, 0.5))
    grey = np.ones(3, np.float32) / np.sqrt(3.0)
    spotted = synthetic.add_chromophore(spotted, soft, 0.5, grey)
    od = colour.optical_density(colour.srgb_to_linear(spotted))
    skin = np.ones(od.shape[:2], bool)
    found = spots.pigment_spots(od, skin, mm_per_px=0.3)
    assert found.count == 1
    assert found.mask[60, 60] and not found.mask[60, 180]
    assert abs(found.mask.sum() - truth.sum()) / truth.sum() < 0.15
    assert spots.pigment_spots(colour.optical_density(colour.srgb_to_linear(skin_rgb)), skin,
                               0.3).count == 0  # fmt: skip


def test_tone_shift_reaches_the_ita_asked_for():
    scene = face(256)
    lab = colour.linear_to_lab(colour.srgb_to_linear(scene))
    skin = regions.skin_gate(lab, regions.box_ellipse(lab.shape[:2], (80, 60, 100, 130), 0.6))
    for target in (50.0, 20.0, -35.0):
        amount = synthetic.melanin_for_ita(scene, skin, target)
        toned = synthetic.add_melanin(scene, amount)
        ita = colour.ita_deg(colour.linear_to_lab(colour.srgb_to_linear(toned[skin])))
        assert float(np.median(ita)) == pytest.approx(target, abs=0.5)
    darker = synthetic.melanin_for_ita(scene, skin, -35.0)
    assert darker > synthetic.melanin_for_ita(scene, skin, 50.0)


def test_capture_changes_the_light_level():
    rng = np.random.default_rng(0)
    flat = np.full((32, 32, 3), 128, np.uint8)
    out, _ = synthetic.capture(flat, rng, noise=0.0, gain=0.2, jpeg=None)
    assert out.mean() != pytest.approx(128, abs=0.5)


def test_comparability_names_what_differs():
    doc = {
        "view": "front", "quality": {"median_l_star": 60.0},
        "face": {"mm_per_px": 0.3, "yaw_deg": 0.0, "box": [0.3, 0.2, 0.4, 0.5]},
        "image": {"width": 1000, "analysed_width": 1000}, "colour_correction": {"applied": False},
    }  # fmt: skip
    assert align.comparability(doc, doc) == []
    other = {
        **doc, "view": "left45", "quality": {"median_l_star": 70.0},
        "face": {"mm_per_px": 0.4, "yaw_deg": 30.0}, "colour_correction": {"applied": True},
    }  # fmt: skip
    assert align.comparability(doc, other) == ["view", "light", "distance", "pose", "chart"]
    haar = {**doc, "face": {"box": [0.3, 0.2, 0.2, 0.25]}}  # the face half as wide: farther
    assert align.comparability({**doc, "face": {"box": [0.3, 0.2, 0.4, 0.5]}}, haar) == ["distance"]
    assert align.comparability({}, {}) == []


def test_a_long_dark_fold_is_not_a_spot():
    skin_rgb = np.full((120, 240, 3), (205, 160, 135), np.uint8)
    fold = synthetic.Spot(120, 60, 100, 3, 0, 0.6)  # 60 mm long at 0.3 mm/px
    spotted, _ = synthetic.render_spots(skin_rgb, [fold])
    od = colour.optical_density(colour.srgb_to_linear(spotted))
    assert spots.pigment_spots(od, np.ones(od.shape[:2], bool), mm_per_px=0.3).count == 0
