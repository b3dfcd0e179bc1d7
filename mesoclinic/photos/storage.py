"""Photo files under PHOTOS_ROOT: written atomically, read back only by `access`."""

import os
import tempfile
from pathlib import Path

from . import conf


def path_of(relative: str) -> Path:
    root = conf.photos_root().resolve()
    full = (root / relative).resolve()
    if root not in full.parents:
        raise ValueError("a photo path must stay under PHOTOS_ROOT")
    return full


def write(relative: str, data: bytes) -> None:
    full = path_of(relative)
    full.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=full.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o600)
        os.replace(tmp, full)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read(relative: str) -> bytes:
    return path_of(relative).read_bytes()


def exists(relative: str) -> bool:
    return bool(relative) and path_of(relative).is_file()


def photo_path(photo, suffix: str = "jpg") -> str:
    return f"{photo.patient.clinic.code}/{photo.patient.code}/{photo.code}.{suffix}"


def aligned_path(photo_a, photo_b, which: str) -> str:
    return f"{photo_a.patient.clinic.code}/{photo_a.patient.code}/aligned/{photo_a.code}_{photo_b.code}_{which}.jpg"
