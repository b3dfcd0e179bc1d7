import datetime as dt
import io

import pytest
from PIL import Image

from tests.photo.conftest import face, fake_landmarks, no_landmarks  # noqa: F401
from tests.support import personas

TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _photo_settings(settings, tmp_path):
    settings.PHOTOS_ROOT = tmp_path / "photos"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def jpeg(rgb=None, **kw) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(face(256) if rgb is None else rgb).save(buf, "JPEG", quality=90, **kw)
    return buf.getvalue()


def gps_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825)[2] = (41.0, 1.0, 2.0)
    return jpeg(exif=exif)


@pytest.fixture
def consent(nora, patient):
    from mesoclinic.photos.actions import record_consent

    return record_consent(
        personas.actor(nora), patient, scope="patient", signer_name=patient.full_name,
        signed_on=TODAY,
    )  # fmt: skip


@pytest.fixture
def photo(nora, patient, consent, request):
    from mesoclinic.photos.actions import upload_photo

    request.getfixturevalue("no_landmarks")
    return upload_photo(
        personas.actor(nora), patient, data=gps_jpeg(), view="front", taken_on=TODAY
    )
