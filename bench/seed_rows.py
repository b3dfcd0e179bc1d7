"""Batched bulk inserts with progress on the terminal, for `python -m bench seed`."""

import sys
import time

BATCH = 2000


class Progress:
    """One line per stage, redrawn in place: rows done, rows per second."""

    def __init__(self, label: str, total: int):
        self.label, self.total, self.done = label, total, 0
        self.start = self.last = time.perf_counter()
        self.tty = sys.stderr.isatty()

    def add(self, n: int) -> None:
        self.done += n
        now = time.perf_counter()
        if self.tty and now - self.last > 0.2:
            self.last = now
            self._line("\r")

    def _line(self, lead: str, end: str = "") -> None:
        rate = self.done / max(time.perf_counter() - self.start, 1e-9)
        pct = f" {100 * self.done / self.total:5.1f}%" if self.total else ""
        print(
            f"{lead}{self.label:<28} {self.done:>10,}{pct}  {rate:>9,.0f} rows/s",
            end=end,
            file=sys.stderr,
            flush=True,
        )

    def close(self) -> None:
        self._line("\r" if self.tty else "", "\n")


def bulk(model, rows, label: str, total: int | None = None):
    """bulk_create an iterable in batches; returns the created objects (with pks)."""
    progress = Progress(label, total or 0)
    out, batch = [], []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            out += model.objects.bulk_create(batch)
            progress.add(len(batch))
            batch = []
    if batch:
        out += model.objects.bulk_create(batch)
        progress.add(len(batch))
    progress.close()
    return out
