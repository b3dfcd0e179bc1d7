"""The clinic-day journey in Chromium (issue 13): interactions per injection point, the
copy-forward, and product names typed again. The flow is bench/journey_flow.py, run in a
pytest child process for its live server and browser fixtures (Debian's Chromium,
headless, --no-sandbox: tests/browser/conftest.py)."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import Result

ROOT = Path(__file__).resolve().parents[1]


def measure() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "journey.json"
        cmd = [sys.executable, "-m", "pytest", "-n", "0", "-q", "-p", "no:cacheprovider"]
        cmd += ["bench/journey_flow.py", "-o", "python_files=journey_flow.py"]
        run = subprocess.run(
            cmd,
            cwd=ROOT,
            env={**os.environ, "BENCH_JOURNEY_OUT": str(out)},
            capture_output=True,
            text=True,
        )
        if run.returncode != 0 or not out.exists():
            tail = "\n".join(run.stdout.splitlines()[-30:])
            raise SystemExit(f"bench journey: the browser journey failed\n{tail}")
        return json.loads(out.read_text())


def run() -> list[Result]:
    data = measure()
    counts, retyped = data["counts"], data["retyped"]
    per_point = counts["charting"] / data["points"]
    rows = [Result(f"{phase}: interactions", n, "") for phase, n in counts.items()]
    rows.append(
        Result(
            "charting: interactions per injection point",
            round(per_point, 2),
            "",
            goal="<= 2",
            met=per_point <= 2,
        )
    )
    rows.append(
        Result(
            "copy-forward: actions",
            counts["copy-forward"],
            "",
            goal="1",
            met=counts["copy-forward"] == 1,
        )
    )
    for phases, label in [
        (("screening", "session 2: screening"), "screening"),
        (("plan",), "plan"),
        (("charting", "copy-forward", "session 2: start"), "session"),
    ]:
        n = sum(retyped.get(p, 0) for p in phases)
        rows.append(Result(f"product names typed: {label}", n, "", goal="0", met=n == 0))
    total = sum(counts.values())
    rows.append(Result("whole journey: interactions", total, ""))
    return rows
