"""One photo in, the `photo-measure` document out (../shared/contracts/cli.md).

The same function serves the web application (capture check and stored measures) and
the command line. Nothing is guessed: what cannot be computed is listed in `unavailable`.
"""

from dataclasses import dataclass, field

import numpy as np

from mesoclinic.engine.inputs import InputError

from . import colour, quality, regions, spots
from .face import Face, find_face, head_pose

VIEWS = ("front", "left45", "right45", "vertex", "hairline", "body")
FACE_VIEWS = ("front", "left45", "right45")
HAIR_VIEWS = ("vertex", "hairline")
MEASURES = ("pigmented_area_pct", "spot_count", "mean_a_star", "erythema_index", "ita_deg")
COLOUR_MEASURES = ("mean_a_star", "erythema_index", "ita_deg")
SPOT_MEASURES = ("pigmented_area_pct", "spot_count")
WORK_PIXELS = 2_100_000  # larger photos are measured at about 2 MP
MIN_REGION_PX = 60
MIN_COVERED = 0.5  # a region less than half clean skin is not measured
ENGINE_VERSION = "photo-3"  # photo-3: single-photo spots from the melanin OD top-hat (issue 19)
HIDDEN_SIDE = {"left45": "right", "right45": "left"}  # the patient's side turned away


@dataclass
class Analysis:
    doc: dict
    face: Face | None = None
    work_scale: float = 1.0  # analysed size / original size
    spot_mask: np.ndarray | None = field(default=None, repr=False)


def _resize_to(rgb: np.ndarray, max_pixels: int) -> tuple[np.ndarray, float]:
    import cv2

    h, w = rgb.shape[:2]
    if h * w <= max_pixels:
        return rgb, 1.0
    s = (max_pixels / (h * w)) ** 0.5
    return cv2.resize(rgb, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA), s


def _unavailable(region: str, measures, reason: str) -> dict:
    return {"region": region, "measures": list(measures), "reason": reason}


def _colour_measures(lab: np.ndarray, lin: np.ndarray, mask: np.ndarray) -> dict:
    px_lab = lab[mask]
    return {
        "mean_a_star": round(float(px_lab[:, 1].mean()), 2),
        "erythema_index": round(float(colour.erythema_index(lin[mask]).mean()), 2),
        "ita_deg": round(float(np.median(colour.ita_deg(px_lab))), 1),
    }


def _spot_measures(found: spots.Spots, centres: np.ndarray, mask: np.ndarray) -> dict:
    inside = found.mask[mask].mean() * 100.0
    n = 0
    if len(centres):
        cx = np.clip(np.rint(centres[:, 0]).astype(int), 0, mask.shape[1] - 1)
        cy = np.clip(np.rint(centres[:, 1]).astype(int), 0, mask.shape[0] - 1)
        n = int(mask[cy, cx].sum())
    return {"pigmented_area_pct": round(float(inside), 2), "spot_count": n}


def _centres(mask: np.ndarray) -> np.ndarray:
    import cv2

    n, _, _, centroids = cv2.connectedComponentsWithStats(mask.astype(np.uint8), 8)
    return centroids[1:n]


def _crop_box(face: Face, shape) -> tuple[int, int, int, int]:
    x, y, w, h = face.box
    pad_x, pad_top, pad_bottom = 0.12 * w, 0.25 * h, 0.08 * h
    x0, y0 = max(0, int(x - pad_x)), max(0, int(y - pad_top))
    x1, y1 = min(shape[1], int(x + w + pad_x) + 1), min(shape[0], int(y + h + pad_bottom) + 1)
    return x0, y0, x1, y1


def analyze(
    rgb: np.ndarray, view: str = "front", *, chart=None, work_pixels: int = WORK_PIXELS
) -> Analysis:
    """Measure one photo. `chart` is the ColorChecker's four corners (x, y) in the photo's
    pixels, clockwise from the corner next to "dark skin", when one is in the frame."""
    if view not in VIEWS:
        raise InputError("--view", f"unknown view {view!r}; one of {', '.join(VIEWS)}")
    original = rgb.shape[:2]
    rgb, scale = _resize_to(rgb, work_pixels)
    lin = colour.srgb_to_linear(rgb)
    doc: dict = {
        "view": view,
        "face_found": False,
        "quality": {"sharp": False, "exposure_ok": False, "pose_ok": None},
        "regions": {},
        "unavailable": [],
        "warnings": [],
        "issues": [],
        "image": {"width": original[1], "height": original[0], "analysed_width": rgb.shape[1]},
        "engine": ENGINE_VERSION,
    }
    if chart is not None:
        try:
            lin, report = colour.correct_with_chart(lin, np.asarray(chart, np.float32) * scale)
        except ValueError as exc:
            raise InputError("--chart", str(exc)) from None
        doc["colour_correction"] = report
    else:
        doc["colour_correction"] = {"applied": False}
        doc["warnings"].append(
            "No colour chart: colour values depend on the camera and the light; compare "
            "only photos taken with the same set-up."
        )
    if view in FACE_VIEWS:
        result = _face_view(rgb, lin, view, doc)
    else:
        result = _area_view(rgb, lin, view, doc)
    result.work_scale = scale
    return result


def _quality_common(doc: dict, grey: np.ndarray, rgb_px, l_px) -> None:
    sharp = quality.sharpness(grey)
    expo = quality.exposure(rgb_px, l_px)
    doc["quality"]["sharp"] = sharp >= quality.SHARP_MIN
    doc["quality"]["sharpness"] = round(sharp, 1)
    doc["quality"].update(expo)
    problems = quality.exposure_issues(expo)
    doc["quality"]["exposure_ok"] = not problems
    if not doc["quality"]["sharp"]:
        problems.insert(0, "blurred")
    doc["issues"].extend(quality.issue(c) for c in problems)


def _face_view(rgb, lin, view: str, doc: dict) -> Analysis:
    import cv2

    face, reason = find_face(rgb, view)
    names = ("face", *regions.FACE_REGIONS)
    if face is None:
        doc["issues"].append(quality.issue("no_face"))
        doc["unavailable"].append(_unavailable("*", MEASURES, "no face was found"))
        doc["unavailable"].append(_unavailable("quality", ["pose_ok"], "no face was found"))
        grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        _quality_common(doc, grey, rgb.reshape(-1, 3), colour.lightness(lin).ravel())
        return Analysis(doc)
    doc["face_found"] = True
    x0, y0, x1, y1 = _crop_box(face, rgb.shape)
    c_rgb, c_lin = rgb[y0:y1, x0:x1], lin[y0:y1, x0:x1]
    lab = colour.linear_to_lab(c_lin)
    shape = lab.shape[:2]
    iod = face.interocular()
    h, w = rgb.shape[:2]
    info = {"source": face.source, "box": [face.box[0] / w, face.box[1] / h,
                                            face.box[2] / w, face.box[3] / h]}  # fmt: skip
    doc["face"] = info
    if face.landmarks is not None:
        lm = face.landmarks - np.array([x0, y0], np.float32)
        oval = regions.face_oval(shape, lm, iod)
        candidate = oval & ~regions.exclusions(shape, lm, iod)
        pose = head_pose(face.landmarks)
        info.update(pose)
        info["align_points"] = (face.align_points / np.array([w, h])).round(5).tolist()
        info["mm_per_px"] = round(face.mm_per_px(), 4)
        pose_problems = quality.pose_issues(view, pose)
        doc["quality"]["pose_ok"] = not pose_problems
        doc["issues"].extend(quality.issue(c) for c in pose_problems)
    else:
        bx, by, bw, bh = face.box
        candidate = regions.box_ellipse(shape, (bx - x0, by - y0, bw, bh))
        doc["warnings"].append(f"Landmarks unavailable: {reason}.")
        doc["unavailable"].append(_unavailable("quality", ["pose_ok"], reason))
    skin = regions.skin_gate(lab, candidate, int((0.25 * iod) ** 2))
    grey = cv2.cvtColor(c_rgb, cv2.COLOR_RGB2GRAY)
    fx0, fy0 = max(face.box[0] - x0, 0), max(face.box[1] - y0, 0)
    _quality_common(
        doc, grey[fy0 : fy0 + face.box[3], fx0 : fx0 + face.box[2]], c_rgb[skin], lab[..., 0][skin]
    )
    if skin.sum() < MIN_REGION_PX:
        doc["unavailable"].append(_unavailable("*", MEASURES, "too little clean skin is visible"))
        return Analysis(doc, face)
    if face.landmarks is None:
        doc["regions"]["face"] = _colour_measures(lab, c_lin, skin)
        doc["unavailable"].append(
            _unavailable(
                "face", SPOT_MEASURES, "spots need landmarks to leave out the eyes, brows and lips"
            )  # fmt: skip
        )
        for name in regions.FACE_REGIONS:
            doc["unavailable"].append(_unavailable(name, MEASURES, reason))
        return Analysis(doc, face)
    found = spots.pigment_spots(colour.optical_density(c_lin), skin, face.mm_per_px())
    found = spots.drop_touching(found, oval & ~regions.erode(oval, 0.05 * iod))
    centres = _centres(found.mask)
    masks = regions.region_masks(shape, lm, iod)
    hidden = HIDDEN_SIDE.get(view)
    for name in names:
        if name == "face":
            mask = skin
        else:
            sides = [m for side, m in masks[name].items() if side != hidden]
            if not sides:
                doc["unavailable"].append(_unavailable(name, MEASURES, "not visible in this view"))
                continue
            area = np.logical_or.reduce(sides)
            mask = area & skin
            if mask.sum() < MIN_COVERED * area.sum():
                doc["unavailable"].append(
                    _unavailable(name, MEASURES, "mostly hidden (hair, shadow or glare)")
                )
                continue
        if mask.sum() < MIN_REGION_PX:
            doc["unavailable"].append(
                _unavailable(name, MEASURES, "too little clean skin in this region")
            )
            continue
        doc["regions"][name] = {
            **_spot_measures(found, centres, mask),
            **_colour_measures(lab, c_lin, mask),
        }
    full = np.zeros(rgb.shape[:2], bool)
    full[y0:y1, x0:x1] = found.mask
    return Analysis(doc, face, spot_mask=full)


def _area_view(rgb, lin, view: str, doc: dict) -> Analysis:
    """Scalp (vertex, hairline) and body views: the central 80% of the frame."""
    import cv2

    h, w = rgb.shape[:2]
    y0, y1, x0, x1 = int(0.1 * h), int(0.9 * h), int(0.1 * w), int(0.9 * w)
    c_rgb, c_lin = rgb[y0:y1, x0:x1], lin[y0:y1, x0:x1]
    lab = colour.linear_to_lab(c_lin)
    grey = cv2.cvtColor(c_rgb, cv2.COLOR_RGB2GRAY)
    doc["unavailable"].append(_unavailable("quality", ["pose_ok"], "no pose check for this view"))
    name = "body" if view == "body" else "scalp"
    if name == "scalp":
        lum = np.clip(lab[..., 0] * 2.55, 0, 255).astype(np.uint8)
        cut, _ = cv2.threshold(lum, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        bright = lum > cut
        skin = regions.skin_gate(lab, bright)
        measures = {"scalp_visible_pct": round(float(skin.mean() * 100.0), 2)}
        doc["unavailable"].append(
            _unavailable(
                name, SPOT_MEASURES, "hair strands cannot be told from spots on an ordinary photo"
            )  # fmt: skip
        )
    else:
        skin = regions.skin_gate(lab, np.ones(lab.shape[:2], bool))
        measures = {}
        doc["warnings"].append(
            "Body photos carry no physical scale: the smallest spot counted is set in pixels."
        )
    _quality_common(doc, grey, c_rgb[skin], lab[..., 0][skin])
    if skin.sum() < MIN_REGION_PX:
        doc["unavailable"].append(_unavailable(name, MEASURES, "too little skin is visible"))
        return Analysis(doc)
    if name == "body":
        contrast = spots.single_contrast(lab[..., 0], skin, 0.1 * min(h, w))
        found = spots.segment(
            contrast, skin, min_area_px=max(4, int(2e-5 * skin.size)),
            seed_floor=spots.SEED_MIN_DL,
        )  # fmt: skip
        measures.update(_spot_measures(found, _centres(found.mask), skin))
    measures.update(_colour_measures(lab, c_lin, skin))
    doc["regions"][name] = measures
    return Analysis(doc)
