"""Where photo files live: the "photos" storage (settings.STORAGES, through lib.uploads),
read back only by `access`. Derived files (thumbnail, aligned pairs) replace themselves."""

from pathlib import Path

from mesoclinic.lib import uploads

ALIAS = "photos"


def write(relative: str, data: bytes) -> str:
    return uploads.write(ALIAS, relative, data)


def read(relative: str) -> bytes:
    return uploads.read(ALIAS, relative)


def exists(relative: str) -> bool:
    return uploads.exists(ALIAS, relative)


def path_of(relative: str) -> Path:
    """The file on disk (the file system storage only)."""
    return Path(uploads.storage(ALIAS).path(relative))


def photo_path(photo, suffix: str = "jpg") -> str:
    return f"{photo.patient.clinic.code}/{photo.patient.code}/{photo.code}.{suffix}"


def aligned_path(photo_a, photo_b, which: str) -> str:
    return f"{photo_a.patient.clinic.code}/{photo_a.patient.code}/aligned/{photo_a.code}_{photo_b.code}_{which}.jpg"
