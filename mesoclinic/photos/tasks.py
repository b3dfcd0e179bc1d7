"""Background work of the photos app (Django's tasks framework, primitive arguments)."""

from django.tasks import task

THUMB_SIZE = 320


@task()
def make_thumbnail(photo_code: str) -> str:
    """Make the photo's thumbnail. Idempotent: a thumbnail already on disk is kept."""
    from mesoclinic.engine.photo.imagefile import read_jpeg, thumbnail_jpeg

    from . import storage
    from .models import Photo

    photo = Photo.objects.select_related("patient__clinic").filter(code=photo_code).first()
    if photo is None:
        return "missing"
    relative = storage.photo_path(photo, "thumb.jpg")
    if photo.thumbnail == relative and storage.exists(relative):
        return "exists"
    storage.write(relative, thumbnail_jpeg(read_jpeg(storage.read(photo.file)), THUMB_SIZE))
    Photo.objects.filter(pk=photo.pk).update(thumbnail=relative)
    return "made"
