"""One upload pipeline: the same limits, type sniffing and stripping for every photo, and
one private storage for clinical files."""

import io
import os
import stat

import pytest
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from mesoclinic.lib import uploads
from mesoclinic.lib.refusals import Refused
from mesoclinic.photos.tests.conftest import gps_jpeg


def _image(fmt="JPEG", size=(320, 240), **kw) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 120, 110)).save(buf, fmt, **kw)
    return buf.getvalue()


@pytest.fixture(autouse=True)
def _roots(settings, tmp_path):
    settings.PHOTOS_ROOT = tmp_path / "photos"
    settings.FOLLOWUP_FILES_ROOT = tmp_path / "followup"


def test_the_limits_are_the_stricter_of_the_two_old_ones(settings):
    assert settings.UPLOAD_MAX_BYTES == 15 * 1024 * 1024  # photos allowed 25 MB
    assert settings.UPLOAD_MAX_PIXELS == 40_000_000  # follow-up photos allowed 50 MP


def test_the_size_is_checked_before_the_file_is_read(settings):
    class Huge:
        size = settings.UPLOAD_MAX_BYTES + 1

        def read(self):
            raise AssertionError("read before the size check")

    with pytest.raises(Refused, match="too large") as refused:
        uploads.read_upload(Huge())
    assert refused.value.code == "too_large"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"%PDF-1.4 not a photo", "type"),
        (_image("GIF"), "type"),  # a real image, of a type we do not take
        (b"\xff\xd8\xff\xe0 broken", "unreadable"),
    ],
)
def test_the_type_is_sniffed_from_the_bytes_never_the_name(data, code):
    upload = SimpleUploadedFile("photo.jpg", data, content_type="image/jpeg")
    with pytest.raises(Refused) as refused:
        uploads.clean_upload(upload)
    assert refused.value.code == code


def test_too_many_pixels_are_refused_before_decoding(settings):
    settings.UPLOAD_MAX_PIXELS = 320 * 240 - 1
    with pytest.raises(Refused, match="too many pixels"):
        uploads.decode_image(_image())


def test_a_png_named_jpg_is_taken_by_its_content_and_stored_as_jpeg():
    stored = uploads.clean_upload(SimpleUploadedFile("x.jpg", _image("PNG")))
    assert Image.open(io.BytesIO(stored.read())).format == "JPEG"
    assert stored.name.endswith(".jpg") and stored.name != "x.jpg"  # a fresh name


def test_metadata_is_stripped_and_the_side_limited():
    stored = uploads.clean_upload(
        SimpleUploadedFile("gps.jpg", gps_jpeg()), max_side=100, quality=88
    )
    image = Image.open(io.BytesIO(stored.read()))
    assert not image.getexif() and "exif" not in image.info
    assert max(image.size) == 100


def test_a_phones_mpo_is_a_jpeg_and_only_its_first_frame_is_kept():
    first = Image.new("RGB", (64, 48), (255, 0, 0))
    second = Image.new("RGB", (64, 48), (0, 0, 255))
    buf = io.BytesIO()
    first.save(buf, "MPO", save_all=True, append_images=[second])
    decoded = uploads.decode_image(buf.getvalue())
    assert decoded.format == "JPEG" and tuple(decoded.rgb[0, 0]) > (200, 0, 0)
    with pytest.raises(Refused, match="JPEG, PNG or WebP"):  # animation stays refused
        animated = io.BytesIO()
        first.save(animated, "WEBP", save_all=True, append_images=[second])
        uploads.decode_image(animated.getvalue())


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_files_are_private_and_replaced_atomically_where_allowed(settings):
    name = uploads.write("photos", "clinic/patient/a.jpg", b"first")
    assert name == "clinic/patient/a.jpg"
    path = settings.PHOTOS_ROOT / name
    assert _mode(path) == 0o600 and _mode(path.parent) == 0o700
    assert uploads.write("photos", name, b"second") == name  # thumbnails replace themselves
    assert uploads.read("photos", name) == b"second"
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".tmp-")]


def test_a_storage_that_keeps_files_never_overwrites_one(settings):
    first = uploads.write("followup", "2026/12/x.jpg", b"one")
    second = uploads.write("followup", "2026/12/x.jpg", b"two")
    assert first == "2026/12/x.jpg" and second != first
    assert uploads.read("followup", first) == b"one"
    assert uploads.read("followup", second) == b"two"
    assert _mode(settings.FOLLOWUP_FILES_ROOT / second) == 0o600


def test_files_already_stored_are_read_at_the_same_paths(settings):
    old = settings.PHOTOS_ROOT / "clinic" / "patient" / "old.jpg"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"stored before the pipeline")
    assert uploads.exists("photos", "clinic/patient/old.jpg")
    assert uploads.read("photos", "clinic/patient/old.jpg") == b"stored before the pipeline"
    assert not uploads.exists("photos", "") and not uploads.exists("photos", "clinic/none.jpg")


def test_clinical_files_have_no_url_and_stay_under_their_root():
    storage = uploads.storage("photos")
    with pytest.raises(ValueError, match="served only through views"):
        storage.url("clinic/patient/a.jpg")
    with pytest.raises(SuspiciousFileOperation):
        uploads.write("photos", "../escape.jpg", b"x")
