"""The tuning part of the single-photo spot validation (`python -m bench photos_tune`).

Only the tuning tone groups (bench.photos.TUNING_TONES: Fitzpatrick I, III and V) and a seed
of their own (TUNE_SEED, not the bench's): tune the detector's parameters here, then read the
held-out groups (II, IV and VI) and the bench's own draws in `python -m bench photos`, which
are never looked at while tuning.

The trials are made once (the slow part: landmarks, tone shift, rendering, capture), then the
detector (`spots.pigment_spots` as the analysis calls it, with the face's rim dropped) runs on
each crop in a few seconds, so a parameter can be tried quickly:

    python -m bench photos_tune                  # per face and tuning tone: Dice, area error
    python -m bench photos_tune --trials 4
"""

import argparse
import os
import time

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

from bench import photos  # noqa: E402
from mesoclinic.engine.photo import colour, regions, spots, synthetic  # noqa: E402
from mesoclinic.engine.photo.analysis import _crop_box, analyze  # noqa: E402

TUNE_SEED = 4242


def _crop_inputs(rgb, face, box):
    """The detector's inputs on the analysis crop: optical density, clean skin, face oval."""
    x0, y0, x1, y1 = box
    lin = colour.srgb_to_linear(rgb[y0:y1, x0:x1])
    lab = colour.linear_to_lab(lin)
    lm = face.landmarks - np.array([x0, y0], np.float32)
    iod = face.interocular()
    oval = regions.face_oval(lab.shape[:2], lm, iod)
    candidate = oval & ~regions.exclusions(lab.shape[:2], lm, iod)
    skin = regions.skin_gate(lab, candidate, int((0.25 * iod) ** 2))
    return colour.optical_density(lin), skin, oval


def trials(n: int, seed: int = TUNE_SEED) -> list[dict]:
    """n single-photo trials per face and tuning tone, as detector inputs with their truth."""
    rng = np.random.default_rng(seed)
    tones = [t for t in photos.TONES if t[0] in photos.TUNING_TONES]
    out = []
    for name, scene in photos.faces().items():
        plain = analyze(scene, "front")
        for group, ita in tones:
            toned = synthetic.add_melanin(
                scene, synthetic.melanin_for_ita(scene, photos._skin(scene, plain), ita)
            )
            base = analyze(toned, "front")
            if base.face is None or base.face.landmarks is None:
                print(f"photos_tune: no landmarks on {name} at ITA {ita}")
                continue
            face = base.face
            box = _crop_box(face, toned.shape)
            inner = regions.erode(photos._skin(toned, base), 3)
            axes = tuple(a / face.mm_per_px() for a in photos.SPOT_AXES_MM)
            od0, skin0, oval = _crop_inputs(toned, face, box)
            for _ in range(n):
                placed = synthetic.place_spots(inner, 12, rng, axes=axes, depth=photos.SINGLE_DEPTH)
                spotted, truth = synthetic.render_spots(toned, placed)
                shot, _ = synthetic.capture(spotted, rng)
                od, skin, _ = _crop_inputs(shot, face, box)
                x0, y0, x1, y1 = box
                out.append({
                    "face": name, "tone": group, "od": od, "skin": skin, "od0": od0,
                    "skin0": skin0, "oval": oval, "truth": truth[y0:y1, x0:x1],
                    "iod": face.interocular(), "mm_per_px": face.mm_per_px(),
                })  # fmt: skip
    return out


def score(cases: list[dict], detector=spots.pigment_spots) -> dict[tuple, tuple]:
    """(face, tone) -> (Dice with the face's own marks ignored, area error, raw Dice, the
    share of the true spot area found, the ignored own marks over the true spot area), the
    bench's definitions (bench.photos.tone_trials), means over the trials. Read the first
    with the last two: a detector that fires on more of the face's own wrinkles ignores more
    of the face and scores better there without finding more of the spots."""
    rows: dict = {}
    for case in cases:
        rim = case["oval"] & ~regions.erode(case["oval"], 0.05 * case["iod"])

        def detect(od, skin, case=case, rim=rim):
            return spots.drop_touching(detector(od, skin, case["mm_per_px"]), rim).mask

        found, base = detect(case["od"], case["skin"]), detect(case["od0"], case["skin0"])
        truth = case["truth"]
        ignore = photos._ignore(base, truth)
        rows.setdefault((case["face"], case["tone"]), []).append((
            photos.dice(found & ~ignore, truth & ~ignore),
            photos.area_error(found & ~ignore, truth & ~ignore),
            photos.dice(found, truth),
            float((found & truth).sum() / max(truth.sum(), 1)),
            float(ignore.sum() / max(truth.sum(), 1)),
        ))  # fmt: skip
    return {k: tuple(np.mean(v, axis=0)) for k, v in rows.items()}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench photos_tune")
    parser.add_argument("--trials", type=int, default=2, help="trials per face and tone")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    cases = trials(max(1, args.trials))
    made = time.perf_counter()
    result = score(cases)
    print(f"{len(cases)} trials made in {made - start:.0f} s, scored in "
          f"{time.perf_counter() - made:.1f} s (tuning tones {', '.join(photos.TUNING_TONES)})")  # fmt: skip
    print("| face | tone | Dice (own marks ignored) | area error | raw Dice | spot area found "
          "| own marks ignored / spot area |\n|---|---|---:|---:|---:|---:|---:|")  # fmt: skip
    for (name, group), (d, err, raw, found, ignored) in result.items():
        print(f"| {name} | {group} | {d:.3f} | {100 * err:+.1f} % | {raw:.3f} | "
              f"{100 * found:.0f} % | {ignored:.1f}x |")  # fmt: skip
    return 0
