"""Issue 15, inputs: photo shapes and sizes give a clear refusal, never a server error,
and a very large photo is decoded already reduced (memory bounded)."""

import io
import resource

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from mesoclinic.photos.models import Photo

from .conftest import TODAY


def _png(w: int, h: int) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (w, h), (190, 150, 130)).save(buf, "PNG")
    return buf.getvalue()


def _upload(client, patient, data):
    form = {
        "view": "front",
        "taken_on": TODAY.isoformat(),
        "image": SimpleUploadedFile("a.png", data),
    }
    return client.post(reverse("photos:upload", args=[patient.code]), form)


@pytest.mark.parametrize("size", [(3000, 1), (1, 3000), (1, 1), (2000, 30), (400, 4000)])
def test_strips_and_slivers_are_refused_with_a_clear_error(
    login, nora, patient, consent, no_landmarks, size
):
    response = _upload(login(nora), patient, _png(*size))
    assert response.status_code == 400
    text = response.content.decode()
    assert "pixels on each side" in text and "times as long" in text
    assert not Photo.objects.exists()


def test_a_40_megapixel_photo_is_decoded_reduced(settings, no_landmarks):
    """Before: the full 7744 x 5164 image was decoded (about 400 MB more at peak); now the
    JPEG is decoded at half size or less and stored at most PHOTO_MAX_SIDE on a side."""
    from mesoclinic.photos.actions import check_photo

    rng = np.random.default_rng(1)
    small = rng.integers(60, 200, (5164 // 16, 7744 // 16, 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(small).resize((7744, 5164)).save(buf, "JPEG", quality=85)
    data = buf.getvalue()
    settings.UPLOAD_MAX_BYTES = 10**8
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    check = check_photo(data, "front")
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert max(check.decoded.rgb.shape[:2]) <= settings.PHOTO_MAX_SIDE
    assert check.decoded.original_size == (7744, 5164)
    assert grown_mb < 200, f"peak memory grew {grown_mb:.0f} MB"
