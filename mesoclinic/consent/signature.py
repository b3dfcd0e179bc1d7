"""Checks of a signature drawn on screen: a PNG data URL of sane size with some ink on it."""

import base64
import binascii
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

PREFIX = "data:image/png;base64,"
MAX_BYTES = 300 * 1024
MAX_SIDE = 4000
MIN_SIDE = 20
MIN_INK_PIXELS = 30  # a dot or a stray tap is not a signature


def not_png() -> ValidationError:
    return ValidationError(_("The signature is not a PNG image."), code="not_png")


def check_signature(data_url: str) -> bytes:
    """The PNG bytes of a drawn signature, or ValidationError saying what is wrong."""
    if not data_url.startswith(PREFIX):
        raise not_png()
    encoded = data_url[len(PREFIX) :]
    if len(encoded) > (MAX_BYTES * 4) // 3 + 4:
        raise ValidationError(
            _("The signature image is too large (more than 300 KB)."), code="too_large"
        )
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise not_png() from None
    try:
        image = Image.open(io.BytesIO(raw))
        if image.format != "PNG":
            raise not_png()
        width, height = image.size
        if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
            raise ValidationError(
                _("The signature image has an unusual size (%(w)s × %(h)s pixels).")
                % {"w": width, "h": height},
                code="size",
            )
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise not_png() from None
    if _ink(image) < MIN_INK_PIXELS:
        raise ValidationError(
            _("The signature is empty: ask the patient to sign in the box."), code="empty"
        )
    return raw


def _ink(image: Image.Image) -> int:
    """Dark pixels on a white background (transparent counts as white)."""
    rgba = image.convert("RGBA")
    paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    grey = Image.alpha_composite(paper, rgba).convert("L")
    return sum(grey.histogram()[:128])
