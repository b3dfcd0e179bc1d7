"""One way in for uploaded photos, and one way to store clinical files.

In: an upload's size is checked before it is read (UPLOAD_MAX_BYTES), its type is sniffed
from its bytes, never its name (JPEG, PNG or WebP; a phone's MPO counts as JPEG), and its
pixel count is checked before it is decoded (UPLOAD_MAX_PIXELS; decompression bombs are
refused). The engine's safe decoder does the decoding: upright, in sRGB. Both limits are
the stricter of what the photos and the follow-up uploads allowed before: 15 MB (photos
allowed 25) and 40 million pixels (follow-up photos allowed 50).

Stripped: what is kept is a JPEG re-encoded from the pixels, so no EXIF (GPS, device),
XMP, ICC profile or comment survives.

Stored: through a Django Storage named in settings.STORAGES ("photos", "followup"). The
default, PrivateFileStorage, keeps files on disk outside the web root, never gives them a
URL (they are served by views that check who asks), writes each file atomically with
FILE_UPLOAD_PERMISSIONS (0o600) in directories made with FILE_UPLOAD_DIRECTORY_PERMISSIONS
(0o700). Another backend (S3-compatible, say) can be named there instead.
"""

import io
import os
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.template.defaultfilters import filesizeformat
from django.utils._os import safe_makedirs
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image

from mesoclinic.engine.photo.imagefile import (
    MAX_ASPECT,
    MIN_SIDE,
    Decoded,
    UnsafeImage,
    decode,
    encode_jpeg,
)

from .refusals import Refused

PROBLEMS = {  # UnsafeImage codes -> what the person uploading is told
    "type": gettext_lazy("This file is not a JPEG, PNG or WebP photo."),
    "too_many_pixels": gettext_lazy("This image has too many pixels to be accepted."),
    "unreadable": gettext_lazy("This image is damaged and cannot be read."),
    "shape": gettext_lazy(
        "This image is too narrow or too long to be a photo: it must be at least "
        "%(side)s pixels on each side and at most %(ratio)s times as long as it is wide."
    ),
}


def max_bytes() -> int:
    return int(settings.UPLOAD_MAX_BYTES)


def max_pixels() -> int:
    return int(settings.UPLOAD_MAX_PIXELS)


def _too_large() -> Refused:
    limit = filesizeformat(max_bytes())
    return Refused(_("This file is too large (more than %(size)s).") % {"size": limit}, "too_large")


def read_upload(upload) -> bytes:
    """The bytes of an uploaded file, refused when it is larger than the limit (checked
    before anything is read into memory)."""
    if upload.size is not None and upload.size > max_bytes():
        raise _too_large()
    upload.seek(0)
    return upload.read()


def decode_image(data: bytes, *, max_side: int | None = None) -> Decoded:
    """Sniff, check and decode; Refused (code: the problem) when it is not a photo we take.
    With `max_side`, a larger photo is decoded already reduced (bounded memory)."""
    try:
        return decode(data, max_bytes=max_bytes(), max_pixels=max_pixels(), max_side=max_side)
    except UnsafeImage as exc:
        if exc.code == "too_large":
            raise _too_large() from None
        text = str(PROBLEMS.get(exc.code) or _("This file cannot be accepted."))
        if exc.code == "shape":
            text = text % {"side": MIN_SIDE, "ratio": MAX_ASPECT}
        raise Refused(text, exc.code) from None


def image_jpeg(decoded: Decoded, *, max_side: int | None = None, quality: int = 92) -> bytes:
    """The pixels as a JPEG without any metadata, at most `max_side` pixels on a side."""
    rgb = decoded.rgb
    if max_side and max(rgb.shape[:2]) > max_side:
        img = Image.fromarray(rgb, "RGB")
        img.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=quality)
        return buf.getvalue()
    return encode_jpeg(rgb, quality=quality)


def clean_upload(upload, *, max_side: int | None = None, quality: int = 92) -> ContentFile:
    """An uploaded photo, checked and stripped, as a JPEG ready for a FileField."""
    decoded = decode_image(read_upload(upload), max_side=max_side)
    jpeg = image_jpeg(decoded, max_side=max_side, quality=quality)
    return ContentFile(jpeg, name=f"{uuid.uuid4().hex}.jpg")


# --- storage ---------------------------------------------------------------------------


@deconstructible
class PrivateFileStorage(FileSystemStorage):
    """Files on disk under the directory a setting names (read on every use, so a test or
    a deployment may move it), never served by URL, each written atomically: a reader
    sees the old file or the new one, never half of one."""

    def __init__(self, root_setting: str, **kwargs):
        self.root_setting = root_setting
        super().__init__(**kwargs)

    @property
    def base_location(self):
        return getattr(settings, self.root_setting)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("clinical files are served only through views that check who asks")

    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        safe_makedirs(directory, self.directory_permissions_mode or 0o700, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")  # created 0o600
        try:
            with os.fdopen(fd, "wb") as fh:
                for chunk in content.chunks():
                    fh.write(chunk if isinstance(chunk, bytes) else chunk.encode())
            os.chmod(tmp, self.file_permissions_mode or 0o600)
            if self._allow_overwrite:
                os.replace(tmp, full_path)
            else:
                while True:
                    try:
                        os.link(tmp, full_path)  # fails, rather than replaces, if taken
                        break
                    except FileExistsError:
                        name = self.get_available_name(name)
                        full_path = self.path(name)
        finally:
            Path(tmp).unlink(missing_ok=True)
        return os.path.relpath(full_path, self.location).replace("\\", "/")


def storage(alias: str) -> Storage:
    """The storage settings.STORAGES names `alias`."""
    return storages[alias]


def write(alias: str, name: str, data: bytes) -> str:
    """Store `data` as `name` (replacing it where the storage allows); the stored name."""
    return storage(alias).save(name, ContentFile(data))


def read(alias: str, name: str) -> bytes:
    with storage(alias).open(name, "rb") as fh:
        return fh.read()


def exists(alias: str, name: str) -> bool:
    return bool(name) and storage(alias).exists(name)
