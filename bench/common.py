import statistics
import subprocess
import sys
import time
from dataclasses import dataclass


@dataclass
class Result:
    name: str
    value: float
    unit: str
    baseline_name: str = ""
    baseline: float | None = None
    goal: str = ""
    met: bool | None = None

    def ratio(self) -> str:
        if not self.baseline:
            return ""
        return f"{self.value / self.baseline:.2f}x"


def best_rate(fn, items, repeat: int = 5) -> float:
    """Items per second over `items`, best of `repeat` passes (one core, one process)."""
    best = 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        for item in items:
            fn(item)
        elapsed = time.perf_counter() - start
        best = max(best, len(items) / elapsed)
    return best


def wall(cmd: list[str], runs: int = 10, stdin: bytes | None = None) -> float:
    """Median wall time of a whole command, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, input=stdin, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            sys.exit(f"bench: {' '.join(cmd)} failed: {proc.stderr.decode()[:300]}")
    return statistics.median(times)


def fmt(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def table(results: list[Result]) -> str:
    rows = [
        "| measure | value | baseline (same run) | ratio | goal | met |",
        "|---|---:|---|---:|---|---|",
    ]
    for r in results:
        base = f"{r.baseline_name}: {fmt(r.baseline)}" if r.baseline is not None else ""
        met = "" if r.met is None else ("yes" if r.met else "**no**")
        rows.append(
            f"| {r.name} | {fmt(r.value)} {r.unit} | {base} | {r.ratio()} | {r.goal} | {met} |"
        )
    return "\n".join(rows)
