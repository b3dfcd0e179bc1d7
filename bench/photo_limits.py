"""Issue 15: a 40-megapixel JPEG through decode + analysis, decoded whole (the old path,
the baseline) and decoded reduced (max_side: the JPEG's own DCT scaling, then a resize).
Each path runs in its own child process so its peak memory (ru_maxrss) is its own; time is
the best of three runs of decode + analyze on one core."""

import io
import json
import subprocess
import sys

from bench.common import Result

CHILD = r"""
import io, json, os, resource, sys, time
os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np
from PIL import Image
from mesoclinic.engine.photo import analyze
from mesoclinic.engine.photo.imagefile import decode
data = sys.stdin.buffer.read()
max_side = int(sys.argv[1]) or None
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
best = 1e9
for _ in range(3):
    start = time.perf_counter()
    d = decode(data, max_side=max_side)
    analyze(d.rgb, "front")
    best = min(best, time.perf_counter() - start)
    del d
grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024
print(json.dumps({"seconds": best, "mb": grown}))
"""


def _photo() -> bytes:
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(1)
    small = rng.integers(60, 200, (5164 // 16, 7744 // 16, 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(small).resize((7744, 5164)).save(buf, "JPEG", quality=90)
    return buf.getvalue()


def _measure(data: bytes, max_side: int) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(max_side)], input=data, capture_output=True, check=True
    )
    return json.loads(proc.stdout.decode().strip().splitlines()[-1])


def run() -> list[Result]:
    from mesoclinic.engine.photo import ANALYSIS_MAX_SIDE

    data = _photo()
    whole = _measure(data, 0)
    reduced = _measure(data, ANALYSIS_MAX_SIDE)
    return [
        Result(
            "40 MP JPEG: decode + analysis, peak memory growth",
            reduced["mb"],
            "MB",
            "decoded whole",
            whole["mb"],
            goal="< 200 MB",
            met=reduced["mb"] < 200,
        ),
        Result(
            "40 MP JPEG: decode + analysis, time (best of 3)",
            reduced["seconds"],
            "s",
            "decoded whole",
            whole["seconds"],
            goal="< 2 s",
            met=reduced["seconds"] < 2,
        ),
    ]
