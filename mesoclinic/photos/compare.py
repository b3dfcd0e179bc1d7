"""Two visits side by side: the later photo aligned onto the earlier one on facial
landmarks (or the face box), both written once as derivative files and cached."""

import json

import numpy as np
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from mesoclinic.engine.photo import align, regions
from mesoclinic.engine.photo.face import Face, LandmarksUnavailable, landmarks_for
from mesoclinic.engine.photo.imagefile import encode_jpeg, read_jpeg

from . import storage

DISPLAY_WIDTH = 1200


def _display(rgb: np.ndarray) -> np.ndarray:
    import cv2

    h, w = rgb.shape[:2]
    if w <= DISPLAY_WIDTH:
        return rgb
    k = DISPLAY_WIDTH / w
    return cv2.resize(rgb, (DISPLAY_WIDTH, round(h * k)), interpolation=cv2.INTER_AREA)


def aligned_pair(before, after) -> dict:
    """Make (once) the display copy of `before` and `after` aligned onto it; returns their
    relative paths, how they were aligned and the before/after differences."""
    paths = {w: storage.aligned_path(before, after, w) for w in ("before", "after")}
    meta_path = storage.aligned_path(before, after, "meta").replace(".jpg", ".json")
    if all(storage.exists(p) for p in (*paths.values(), meta_path)):
        return {**json.loads(storage.read(meta_path)), "paths": paths}
    ref = _display(read_jpeg(storage.read(before.file)))
    mov = read_jpeg(storage.read(after.file))
    fb, fa = before.analysis.get("face"), after.analysis.get("face")
    meta: dict = {"differences": align.differences(before.analysis, after.analysis)}
    if fb and fa:
        warped, how = align.align_pair(ref, mov, fb, fa)
        h, w = ref.shape[:2]
        box = np.asarray(fb["box"]) * [w, h, w, h]
        face = Face(tuple(int(v) for v in box), None, "stored")
        changes = align.spot_changes(ref, warped, face)
        changes.pop("masks")
        meta.update(alignment=how, spots=changes)
        meta["overlay"] = _outlines(ref)
    else:
        import cv2

        warped = cv2.resize(mov, (ref.shape[1], ref.shape[0]), interpolation=cv2.INTER_AREA)
        meta["alignment"] = {"method": "none", "ecc_refined": False}
    storage.write(paths["before"], encode_jpeg(ref))
    storage.write(paths["after"], encode_jpeg(warped))
    storage.write(meta_path, json.dumps(meta).encode())
    return {**meta, "paths": paths}


def _outlines(rgb: np.ndarray) -> dict | None:
    """The regions' outlines on the display copy of the earlier photo (landmarks found on
    that copy), or None without landmarks."""
    try:
        lm = landmarks_for(rgb)
    except LandmarksUnavailable:
        return None
    if lm is None:
        return None
    h, w = rgb.shape[:2]
    iod = Face((0, 0, w, h), lm, "landmarks").interocular()
    return {"width": w, "height": h, "regions": regions.outlines((h, w), lm, iod)}


def overlay_svg(overlay: dict | None, labels: dict, differences: dict) -> SafeString:
    """The region outlines as an SVG drawn over the photo (classes only: no inline style,
    so the page's CSP holds). Each region's title gives its change in pigmented area."""
    if not overlay or not overlay.get("regions"):
        return mark_safe("")
    w, h = overlay["width"], overlay["height"]
    parts = [format_html(
        '<svg class="regions" viewBox="0 0 {} {}" preserveAspectRatio="none" aria-hidden="true">',
        w, h,
    )]  # fmt: skip
    for i, (name, polys) in enumerate(sorted(overlay["regions"].items())):
        d = (differences.get(name) or {}).get("pigmented_area_pct")
        label = str(labels.get(name, name))
        title = label if d is None else f"{label}: {d:+.2f} %"
        for poly in polys:
            points = " ".join(f"{x * w:.1f},{y * h:.1f}" for x, y in poly)
            parts.append(format_html(
                '<polygon class="region r{}" points="{}"><title>{}</title></polygon>',
                i % 8, points, title,
            ))  # fmt: skip
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))
