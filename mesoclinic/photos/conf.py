"""The app's settings, each with a safe default (settings.py may set them from the env)."""

from pathlib import Path

from django.conf import settings

from mesoclinic.engine.photo.imagefile import DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS


def photos_root() -> Path:
    """Where photo files live: outside STATIC_ROOT and any media root (default var/photos)."""
    return Path(getattr(settings, "PHOTOS_ROOT", None) or Path(settings.VAR_DIR) / "photos")


def max_bytes() -> int:
    return int(getattr(settings, "PHOTO_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_pixels() -> int:
    return int(getattr(settings, "PHOTO_MAX_PIXELS", DEFAULT_MAX_PIXELS))
