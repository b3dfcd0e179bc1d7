"""Look at a PDF the way a reader does: its text (pdftotext) and its pages as PNG
(pdftoppm), kept beside the browser screenshots in artifacts/screenshots/."""

import subprocess
from pathlib import Path

SHOTS = Path(__file__).resolve().parents[3] / "artifacts" / "screenshots"


def text_of(pdf: bytes) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return out.stdout.decode()


def pages(pdf: bytes) -> int:
    out = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    line = next(x for x in out.stdout.decode().splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def to_png(pdf: bytes, name: str) -> list[Path]:
    """Every page as artifacts/screenshots/pdf-<name>-<page>.png (100 dpi)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    stem = SHOTS / f"pdf-{name}"
    for old in SHOTS.glob(f"pdf-{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-", str(stem)], input=pdf, check=True)
    return sorted(SHOTS.glob(f"pdf-{name}-*.png"))
