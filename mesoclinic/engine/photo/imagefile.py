"""Safe decoding of an uploaded photo, and re-encoding without metadata.

The file type is sniffed from the bytes (never the name), the byte size and pixel count
are limited before decoding (decompression bombs are refused), the EXIF orientation is
applied, colour is converted to sRGB when the file carries another ICC profile, and the
image is re-encoded without EXIF (GPS included), XMP or comments.
"""

import io
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

from mesoclinic.engine.inputs import InputError

ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
DEFAULT_MAX_BYTES = 25 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000
MIN_SIDE = 32  # a narrower strip is not a photo of a face or a treated area
MAX_ASPECT = 5  # a longer side more than five times the shorter is a strip, not a photo


def check_shape(w: int, h: int, max_pixels: int = DEFAULT_MAX_PIXELS) -> None:
    """Refuse, before decoding, an image with too many pixels or the shape of a strip."""
    if w * h > max_pixels:
        raise UnsafeImage("too_many_pixels", f"the image has more than {max_pixels:,} pixels")
    if min(w, h) < MIN_SIDE or max(w, h) > MAX_ASPECT * min(w, h):
        raise UnsafeImage(
            "shape",
            f"the image is {w} x {h} pixels; a photo must be at least {MIN_SIDE} pixels on "
            f"each side and at most {MAX_ASPECT} times as long as it is wide",
        )


class UnsafeImage(InputError):
    """The file is not a photo we accept; the message says why (and names the field)."""

    def __init__(self, code: str, problem: str, field: str = "IMAGE"):
        self.code = code
        super().__init__(field, problem)


@dataclass(frozen=True)
class Decoded:
    rgb: np.ndarray  # H x W x 3 uint8, sRGB, upright
    format: str  # the sniffed format: JPEG, PNG or WEBP
    original_size: tuple[int, int]  # (width, height) as stored in the file
    had_exif: bool
    had_gps: bool
    converted_from_icc: bool


def _sniff(data: bytes) -> str:
    if data[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    raise UnsafeImage("type", "not a JPEG, PNG or WebP photo")


def decode(
    data: bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    max_side: int | None = None,
) -> Decoded:
    """The upright sRGB pixels of a photo we accept. With `max_side`, the pixels come at
    most that many on a side, and a JPEG is decoded already reduced (its DCT scaling), so a
    40-megapixel photo never sits in memory at full size."""
    if len(data) > max_bytes:
        raise UnsafeImage("too_large", f"the file is larger than {max_bytes // (1024 * 1024)} MB")
    kind = _sniff(data)
    # A cut-off file is refused whatever another library (WeasyPrint does, on import) set
    # this process-wide flag to: a partly decoded photo would be measured as if whole.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format != kind and (kind, probe.format) != ("JPEG", "MPO"):
                    raise UnsafeImage("type", "the file's content does not match its type")
                w, h = probe.size
                check_shape(w, h, max_pixels)
                probe.verify()
            img = Image.open(io.BytesIO(data))
            if max_side and max(w, h) > max_side:
                s = max_side / max(w, h)
                img.draft("RGB", (max(1, int(w * s)), max(1, int(h * s))))
            img.load()
    except UnsafeImage:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UnsafeImage("too_many_pixels", "the image is a decompression bomb") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, IndexError) as exc:
        raise UnsafeImage("unreadable", f"the image cannot be read ({exc})") from None
    if getattr(img, "n_frames", 1) > 1 and img.format != "MPO":
        raise UnsafeImage("type", "animated images are not accepted")
    # A phone's MPO is a JPEG with extra frames (depth, a second view): the first is kept.
    exif = img.getexif()
    had_gps = bool(exif.get_ifd(0x8825)) if exif else False
    icc = img.info.get("icc_profile")
    img = ImageOps.exif_transpose(img)
    if max_side and max(img.size) > max_side:
        img.thumbnail((max_side, max_side), Image.Resampling.LANCZOS, reducing_gap=2.0)
    converted = False
    if img.mode not in ("RGB", "L"):
        img = img.convert("RGBA").convert("RGB") if "A" in img.mode else img.convert("RGB")
    if icc:
        try:
            src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if "srgb" not in (ImageCms.getProfileDescription(src) or "").lower():
                img = ImageCms.profileToProfile(
                    img.convert("RGB"), src, ImageCms.createProfile("sRGB"), outputMode="RGB"
                )
                converted = True
        except (ImageCms.PyCMSError, OSError):
            pass  # a broken profile: keep the pixel values as they are
    rgb = np.asarray(img.convert("RGB"), dtype=np.uint8).copy()
    return Decoded(rgb, kind, (w, h), bool(exif), had_gps, converted)


def encode_jpeg(rgb: np.ndarray, quality: int = 92) -> bytes:
    """JPEG without any metadata (no EXIF, XMP, ICC or comment): the pixels are sRGB."""
    buf = io.BytesIO()
    Image.fromarray(rgb, "RGB").save(buf, "JPEG", quality=quality, optimize=True)
    return buf.getvalue()


def thumbnail_jpeg(rgb: np.ndarray, size: int = 320, quality: int = 85) -> bytes:
    img = Image.fromarray(rgb, "RGB")
    img.thumbnail((size, size), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def read_jpeg(data: bytes) -> np.ndarray:
    """A file this module wrote (already checked): straight to pixels."""
    with Image.open(io.BytesIO(data)) as img:
        return np.asarray(img.convert("RGB"), dtype=np.uint8).copy()
