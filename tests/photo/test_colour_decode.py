import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image, ImageCms

from mesoclinic.engine.inputs import InputError
from mesoclinic.engine.photo import colour, imagefile, synthetic

from .conftest import face


def _bytes(img: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def test_srgb_lab_reference_values():
    lab = colour.linear_to_lab(colour.srgb_to_linear(np.array([[1.0, 0.0, 0.0], [1.0, 1, 1]])))
    assert lab[0] == pytest.approx([53.24, 80.09, 67.20], abs=0.05)
    assert lab[1] == pytest.approx([100.0, 0.0, 0.0], abs=0.05)
    assert colour.lightness(colour.srgb_to_linear(np.array([[0.5, 0.5, 0.5]])))[0] == (
        pytest.approx(
            lab_l := colour.linear_to_lab(colour.srgb_to_linear(np.array([[0.5] * 3])))[0, 0]
        )
    )
    assert lab_l == pytest.approx(53.39, abs=0.05)
    grey8 = np.array([[0, 128, 255]], np.uint8)
    assert colour.linear_to_srgb8(colour.srgb_to_linear(grey8)).tolist() == grey8.tolist()


def test_ita_erythema_and_density():
    lab = np.array([[50.0, 10.0, 20.0], [70.0, 10.0, 20.0]])
    assert colour.ita_deg(lab).tolist() == pytest.approx([0.0, 45.0])
    lin = np.array([[0.5, 0.5, 0.5], [0.5, 0.25, 0.25]], np.float32)
    assert colour.erythema_index(lin).tolist() == pytest.approx([0.0, 100 * np.log10(2)], abs=1e-4)
    assert colour.from_optical_density(colour.optical_density(lin)) == pytest.approx(lin)


def test_chart_correction_removes_a_colour_cast():
    scene, corners = synthetic.render_chart(face(256), 10, 150, 16)
    cast = synthetic.colour_cast(scene)
    lin = colour.srgb_to_linear(cast)
    before = colour.delta_e76(
        colour.linear_to_lab(colour.sample_patches(lin, corners)),
        colour.linear_to_lab(colour.chart_reference_linear()),
    ).mean()
    corrected, report = colour.correct_with_chart(lin, corners)
    after = colour.delta_e76(
        colour.linear_to_lab(colour.sample_patches(corrected, corners)),
        colour.linear_to_lab(colour.chart_reference_linear()),
    ).mean()
    assert before > 6 and after < 2.5, (before, after)
    assert report["applied"] and report["loo_delta_e76"] < 4


def test_chart_outside_and_parse():
    with pytest.raises(ValueError, match="outside"):
        colour.sample_patches(
            np.zeros((20, 20, 3), np.float32), [[0, 0], [60, 0], [60, 40], [0, 40]]
        )
    assert colour.parse_chart("1,2,3,4,5,6,7,8") == [[1, 2], [3, 4], [5, 6], [7, 8]]
    for bad in ("1,2", "a,b,c,d,e,f,g,h"):
        with pytest.raises(InputError, match="--chart"):
            colour.parse_chart(bad)


def _exif_jpeg() -> bytes:
    img = Image.fromarray(face(64)[:48])  # 64 wide, 48 high
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90 degrees on display
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825)[2] = (41.0, 0.0, 0.0)  # GPS latitude
    return _bytes(img, "JPEG", exif=exif)


def test_exif_gps_stripped_and_orientation_applied():
    d = imagefile.decode(_exif_jpeg())
    assert d.rgb.shape[:2] == (64, 48)  # upright: rotated
    assert d.had_exif and d.had_gps and d.format == "JPEG"
    clean = Image.open(io.BytesIO(imagefile.encode_jpeg(d.rgb)))
    assert not clean.getexif() and "exif" not in clean.info and "icc_profile" not in clean.info
    assert imagefile.read_jpeg(imagefile.thumbnail_jpeg(d.rgb, 32)).shape[:2] == (32, 24)


def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0"))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("data", "code", "limits"),
    [
        (b"%PDF-1.7 not a photo", "type", {}),
        (_bytes(Image.new("RGB", (8, 8)), "GIF"), "type", {}),
        (b"\xff\xd8\xff\xe0 broken jpeg", "unreadable", {}),
        (b"\xff\xd8\xff" + b"0" * 5000, "too_large", {"max_bytes": 1000}),
        (_bytes(Image.new("RGB", (100, 100)), "PNG"), "too_many_pixels", {"max_pixels": 5000}),
        (_png_header(100_000, 100_000), "too_many_pixels", {"max_pixels": 10**12}),  # bomb
        (_png_header(30_000, 30_000), "too_many_pixels", {}),
        (b"RIFF\0\0\0\0WEBPVP8 " + b"\0" * 20, "unreadable", {}),
    ],
)
def test_unsafe_files_are_refused(data, code, limits):
    with pytest.raises(imagefile.UnsafeImage) as exc:
        imagefile.decode(data, **limits)
    assert exc.value.code == code and exc.value.field == "IMAGE"


def test_content_must_match_the_sniffed_type(monkeypatch):
    monkeypatch.setattr(imagefile, "_sniff", lambda data: "WEBP")
    with pytest.raises(imagefile.UnsafeImage, match="does not match"):
        imagefile.decode(_bytes(Image.new("RGB", (32, 32)), "PNG"))


def test_animated_images_are_refused():
    frames = [Image.new("RGB", (32, 32), c) for c in ("red", "blue")]
    data = _bytes(frames[0], "PNG", save_all=True, append_images=frames[1:])
    with pytest.raises(imagefile.UnsafeImage, match="animated"):
        imagefile.decode(data)


@pytest.mark.parametrize("mode", ["RGBA", "P", "L", "LA"])
def test_modes_become_rgb(mode):
    d = imagefile.decode(_bytes(Image.new(mode, (40, 32)), "PNG"))
    assert d.rgb.shape == (32, 40, 3) and not d.had_exif and not d.converted_from_icc


def test_icc_profiles():
    img = Image.fromarray(face(64))
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    other = srgb.replace("sRGB".encode("utf-16-be"), "wide".encode("utf-16-be"))
    xyz = ImageCms.ImageCmsProfile(ImageCms.createProfile("XYZ")).tobytes()
    assert imagefile.decode(_bytes(img, "PNG", icc_profile=other)).converted_from_icc
    assert not imagefile.decode(_bytes(img, "PNG", icc_profile=xyz)).converted_from_icc
    assert not imagefile.decode(_bytes(img, "PNG", icc_profile=srgb)).converted_from_icc
    assert not imagefile.decode(_bytes(img, "PNG", icc_profile=b"broken")).converted_from_icc
    assert imagefile.decode(_bytes(img, "WEBP")).format == "WEBP"
