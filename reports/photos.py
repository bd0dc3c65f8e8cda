"""Photo safety: decide the type by decoding, refuse bombs, store the pixels and nothing else.

Every upload channel (web form, REST API, Open311) goes through `photo_clean`. The stored file
is rebuilt from the decoded pixels, so no metadata block can survive: EXIF, GPS, XMP, ICC
profiles, JPEG comments, PNG text chunks, MPO extra frames and bytes appended after the image
(polyglots) are all left behind.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import pillow_heif
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from core.errors import DomainError, ErrorCode

# iPhones take HEIC (HEIF) photos; pillow-heif's wheel carries its own libheif.
pillow_heif.register_heif_opener()

# What phones produce. MPO, the JPEG of multi-picture cameras (several Samsung, Fujifilm and
# Apple models), is opened by the JPEG opener and reported as "MPO"; only its first frame is kept.
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
# Browsers do not show HEIF, and an MPO is a JPEG with more frames: both are stored as JPEG.
STORED_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "HEIF": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Pillow refuses images above twice this many pixels; we refuse anything above it at all.
MAX_PIXELS = 40_000_000
MAX_EDGE = 2560
_SRGB = ImageCms.createProfile("sRGB")


class PhotoError(DomainError):
    """A photo that cannot be used: a DomainError (invalid_photo) whose message says why."""

    def __init__(self, message: str):
        super().__init__(ErrorCode.INVALID_PHOTO, message)


@dataclass
class CleanPhoto:
    content: ContentFile
    gps: tuple[float, float] | None  # (lon, lat) read before stripping, offered to the form only


def _gps(image: Image.Image) -> tuple[float, float] | None:
    try:
        gps = image.getexif().get_ifd(0x8825)
    except Exception:  # malformed EXIF must not reject an otherwise fine photo
        return None
    try:
        def degrees(values) -> float:
            d, m, s = (float(v) for v in values)
            return d + m / 60 + s / 3600

        lat = degrees(gps[2]) * (-1 if gps.get(1) == "S" else 1)
        lon = degrees(gps[4]) * (-1 if gps.get(3) == "W" else 1)
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    if -90 <= lat <= 90 and -180 <= lon <= 180:
        return round(lon, 6), round(lat, 6)
    return None


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """Phones tag photos with Display P3 and the like: convert the colours, since no profile is kept."""
    if not icc or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(image, source, _SRGB, outputMode=image.mode) or image
    except (ImageCms.PyCMSError, OSError, TypeError, ValueError):
        return image  # an unreadable profile: the pixels as they are, still without it


def _pixels_only(image: Image.Image, stored_format: str) -> Image.Image:
    """A new image holding only the pixels: Pillow's encoders copy some of `info` (the JPEG
    comment, the PNG ICC profile) when saving, so nothing of the upload's `info` may reach them."""
    icc = image.info.get("icc_profile")
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N"):
        # 16-bit grey: scaled to 8 bits, where a plain convert would clip everything above 255 to white.
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    if stored_format == "JPEG":
        mode = "L" if image.mode in ("L", "1") else "RGB"
    else:
        mode = "RGBA" if _has_alpha(image) else ("L" if image.mode in ("L", "1") and stored_format == "PNG" else "RGB")
    converted = _to_srgb(image.convert(mode) if image.mode != mode else image, icc)
    return Image.frombytes(mode, converted.size, converted.tobytes())


def photo_clean(upload, *, max_bytes: int | None = None) -> CleanPhoto:
    """Decode an uploaded photo and re-encode its pixels alone; raise PhotoError with a message."""
    limit = max_bytes or settings.PHOTO_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise PhotoError(_("The photo is larger than %(mb)d MB.") % {"mb": limit // 1_000_000})
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise PhotoError(_("The photo is larger than %(mb)d MB.") % {"mb": limit // 1_000_000})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
            if image.width * image.height > MAX_PIXELS:
                raise PhotoError(_("The photo has too many pixels."))
            image.load()  # the first frame of an MPO
            gps = _gps(image)
            # Turned upright by its EXIF orientation before the EXIF is dropped.
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((MAX_EDGE, MAX_EDGE))
            stored_format = STORED_FORMATS[image.format]
            clean = _pixels_only(upright, stored_format)
    except PhotoError:
        raise  # already worded
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PhotoError(_("The photo has too many pixels.")) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, KeyError, EOFError) as exc:
        raise PhotoError(_("This file is not a JPEG, PNG, WebP or HEIC photo, or it is damaged.")) from exc
    out = io.BytesIO()
    if stored_format == "JPEG":
        clean.save(out, "JPEG", quality=85, optimize=True)
    elif stored_format == "PNG":
        clean.save(out, "PNG", optimize=True)
    else:
        clean.save(out, "WEBP", quality=85)
    return CleanPhoto(content=ContentFile(out.getvalue(), name=f"photo.{EXTENSIONS[stored_format]}"), gps=gps)


def photo_gps(upload) -> tuple[float, float] | None:
    """Where a photo says it was taken, for offering a pin; never stored."""
    return photo_clean(upload).gps
