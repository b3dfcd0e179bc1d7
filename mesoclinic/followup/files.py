"""Photos patients attach to a check-in or a side-effect report: checked and stripped by
lib.uploads (re-encoded as a JPEG of at most MAX_SIDE pixels a side, no metadata), kept in
the "followup" storage (settings.STORAGES; outside the web root) and served only through
a view that checks who asks."""

from mesoclinic.lib import uploads

MAX_SIDE = 2400
QUALITY = 88


def photo_storage():
    """The FileFields' storage (a callable, so the setting is read when the app loads)."""
    return uploads.storage("followup")


def clean_photo(upload):
    """A re-encoded JPEG of an uploaded photo (a ContentFile), or Refused saying why."""
    return uploads.clean_upload(upload, max_side=MAX_SIDE, quality=QUALITY)
