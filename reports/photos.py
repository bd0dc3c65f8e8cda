"""Photo safety: decide the type by decoding, refuse bombs, strip every bit of metadata."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Pillow refuses images above twice this many pixels; we refuse anything above it at all.
MAX_PIXELS = 40_000_000
MAX_EDGE = 2560


class PhotoError(ValueError):
    pass


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


def photo_clean(upload, *, max_bytes: int | None = None) -> CleanPhoto:
    """Decode an uploaded photo and re-encode it without EXIF/GPS; raise PhotoError with a message."""
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
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PhotoError(_("The photo has too many pixels.")) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise PhotoError(_("This file is not a JPEG, PNG or WebP photo, or it is damaged.")) from exc
    fmt = image.format
    gps = _gps(image)
    image = ImageOps.exif_transpose(image)
    image.thumbnail((MAX_EDGE, MAX_EDGE))
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    out = io.BytesIO()
    # Saving without exif=/pnginfo= drops every metadata block.
    if fmt == "JPEG":
        image.save(out, "JPEG", quality=85, optimize=True)
    elif fmt == "PNG":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "WEBP", quality=85)
    return CleanPhoto(content=ContentFile(out.getvalue(), name=f"photo.{EXTENSIONS[fmt]}"), gps=gps)


def photo_gps(upload) -> tuple[float, float] | None:
    """Where a photo says it was taken, for offering a pin; never stored."""
    return photo_clean(upload).gps
