"""Photos patients attach to a check-in or a side-effect report.

Stored outside the web root (setting FOLLOWUP_FILES_ROOT, default var/followup) and served
only through a view that checks who asks. Every upload is decoded and re-encoded as JPEG:
what is kept is pixels only, never the camera's metadata (GPS position, device).
"""

import io
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 15 * 1024 * 1024
MAX_SIDE = 2400
FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}  # MPO: some phones' JPEG


def files_root() -> Path:
    return Path(getattr(settings, "FOLLOWUP_FILES_ROOT", settings.VAR_DIR / "followup"))


@deconstructible
class FollowupStorage(FileSystemStorage):
    """A file system storage whose place follows the setting (tests move it)."""

    def __init__(self):
        super().__init__(location=None, base_url=None)

    @property
    def base_location(self):
        return files_root()

    @property
    def location(self):
        return str(files_root().resolve())

    def url(self, name):  # never served directly
        raise ValueError("follow-up files are served through the follow-up views only")


def photo_storage() -> FollowupStorage:
    return FollowupStorage()


def clean_photo(upload) -> ContentFile:
    """A re-encoded JPEG of an uploaded photo, or ValidationError saying what is wrong."""
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The photo is too large (more than 15 MB)."), code="too_large")
    try:
        image = Image.open(upload)
        if image.format not in FORMATS:
            raise ValidationError(_("Send a photo as JPEG, PNG or WebP."), code="format")
        if image.width * image.height > 50_000_000:
            raise ValidationError(_("The photo is too large."), code="too_large")
        image = ImageOps.exif_transpose(image)  # upright, as the phone showed it
        image = image.convert("RGB")
        image.thumbnail((MAX_SIDE, MAX_SIDE))
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not a photo we can read."), code="unreadable"
        ) from None
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
