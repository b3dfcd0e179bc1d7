"""Two visits side by side: the later photo aligned onto the earlier one on facial
landmarks (or the face box), both written once as derivative files and cached."""

import json

import numpy as np

from mesoclinic.engine.photo import align
from mesoclinic.engine.photo.face import Face
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
    else:
        import cv2

        warped = cv2.resize(mov, (ref.shape[1], ref.shape[0]), interpolation=cv2.INTER_AREA)
        meta["alignment"] = {"method": "none", "ecc_refined": False}
    storage.write(paths["before"], encode_jpeg(ref))
    storage.write(paths["after"], encode_jpeg(warped))
    storage.write(meta_path, json.dumps(meta).encode())
    return {**meta, "paths": paths}
