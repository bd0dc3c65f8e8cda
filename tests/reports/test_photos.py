"""Photo safety through report_create: real Pillow decoding and re-encoding."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.errors import DomainError
from reports.models import Report, ReportPhoto
from reports.photos import photo_gps
from tests.factories import make_report, photo_upload

pytestmark = pytest.mark.django_db

SEOUL_GPS = {1: "N", 2: (37.0, 34.0, 33.0), 3: "E", 4: (126.0, 58.0, 36.0)}


def exif_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = SEOUL_GPS
    return exif.tobytes()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize(("fmt", "name"), [("JPEG", "a.jpg"), ("PNG", "a.png"), ("WEBP", "a.webp")])
def test_jpeg_png_webp_are_accepted(fmt, name):
    report = make_report(photos=[photo_upload(fmt, name=name)])
    photo = report.photos.get()
    with Image.open(photo.image.path) as image:
        assert image.format == fmt
        assert (image.width, image.height) == (64, 48)


def test_exif_and_gps_are_removed_but_gps_can_be_offered():
    assert photo_gps(photo_upload(exif=exif_with_gps())) == pytest.approx((126.976667, 37.575833), abs=1e-5)
    report = make_report(photos=[photo_upload(exif=exif_with_gps())])
    with Image.open(report.photos.get().image.path) as image:
        exif = image.getexif()
        assert len(exif) == 0
        assert not exif.get_ifd(0x8825)


def test_a_text_file_named_jpg_is_refused():
    fake = SimpleUploadedFile("photo.jpg", b"this is not an image at all", content_type="image/jpeg")
    with pytest.raises(DomainError) as exc:
        make_report(photos=[fake])
    assert "photos" in exc.value.fields
    assert Report.objects.count() == 0 and ReportPhoto.objects.count() == 0


def test_an_oversized_photo_is_refused(settings):
    settings.PHOTO_MAX_BYTES = 500
    big = photo_upload(size=(400, 300))
    assert big.size > 500
    with pytest.raises(DomainError) as exc:
        make_report(photos=[big])
    assert "photos" in exc.value.fields
    assert Report.objects.count() == 0


def test_a_decompression_bomb_is_refused():
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, "PNG")  # 400 million pixels in a few kB
    bomb = SimpleUploadedFile("bomb.png", buffer.getvalue(), content_type="image/png")
    assert bomb.size < 1_000_000
    with pytest.raises(DomainError) as exc:
        make_report(photos=[bomb])
    assert "photos" in exc.value.fields
    assert Report.objects.count() == 0


def test_at_most_five_photos():
    with pytest.raises(DomainError) as exc:
        make_report(photos=[photo_upload() for _ in range(6)])
    assert "photos" in exc.value.fields
    assert make_report(photos=[photo_upload() for _ in range(5)]).photos.count() == 5
