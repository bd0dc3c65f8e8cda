"""Photo safety through report_create: real Pillow decoding and re-encoding."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image, ImageCms, PngImagePlugin

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


# --- metadata never survives (issue 12) --------------------------------------------------------

DATA = Path(__file__).resolve().parent.parent / "data" / "photos"
REAL_MPO = ("iphone-14-pro-max.mpo", "samsung-nx1000.mpo")
COMMENT = "GPS 37.565869,126.978182 <script>alert(1)</script>"
PLANTED = ("37.565869", "126.978182", "<script>", "alert(1)", "CameraMaker", "secret-xmp", "<html>", "PK\x03\x04", "evil.html")
METADATA_KEYS = {"exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile", "mp", "mpinfo", "Comment", "Description", "transparency"}
# SOI, APP0 (JFIF), DQT, SOF0/SOF2, DHT, SOS: what Pillow writes for pixels alone. No APP1 (EXIF,
# XMP), APP2 (ICC, MPO), COM.
JPEG_PIXEL_MARKERS = {0xD8, 0xE0, 0xDB, 0xC0, 0xC2, 0xC4, 0xDA}


def display_p3_icc() -> bytes:
    """The ICC profile an iPhone wrote into its real MPO sample."""
    with Image.open(DATA / "iphone-14-pro-max.mpo") as image:
        return image.info["icc_profile"]


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def jpeg_markers(data: bytes) -> list[int]:
    """The segment markers of a JPEG up to its first scan."""
    markers, at = [], 2
    assert data[:2] == b"\xff\xd8"
    markers.append(0xD8)
    while at < len(data):
        assert data[at] == 0xFF
        marker = data[at + 1]
        markers.append(marker)
        if marker == 0xDA:
            return markers
        at += 2 + struct.unpack(">H", data[at + 2:at + 4])[0]
    return markers


def png_chunks(data: bytes) -> list[bytes]:
    chunks, at = [], 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        chunks.append(kind)
        at += 12 + length
    return chunks


def webp_chunks(data: bytes) -> list[bytes]:
    chunks, at = [], 12
    while at < len(data):
        kind, length = data[at:at + 4], struct.unpack("<I", data[at + 4:at + 8])[0]
        chunks.append(kind)
        at += 8 + length + (length & 1)
    return chunks


def stored_only_pixels(photo: ReportPhoto) -> Image.Image:
    """The stored file: none of the planted strings, no metadata block, one frame; its image."""
    data = Path(photo.image.path).read_bytes()
    for planted in PLANTED:
        assert planted.encode() not in data, planted
    image = Image.open(io.BytesIO(data))
    assert not METADATA_KEYS & set(image.info), image.info
    assert len(image.getexif()) == 0
    assert getattr(image, "n_frames", 1) == 1
    if image.format == "JPEG":
        assert set(jpeg_markers(data)) <= JPEG_PIXEL_MARKERS
    elif image.format == "PNG":
        assert set(png_chunks(data)) <= {b"IHDR", b"IDAT", b"IEND"} and image.text == {}
    else:
        assert image.format == "WEBP" and set(webp_chunks(data)) <= {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}
    return image


@pytest.mark.parametrize("name", REAL_MPO)
def test_real_camera_mpo_is_stored_as_its_first_frame_without_metadata(name):
    with Image.open(DATA / name) as original:
        assert original.format == "MPO" and original.n_frames == 2
        size = original.size
    report = make_report(photos=[upload((DATA / name).read_bytes(), name="camera.jpg")])
    photo = report.photos.get()
    assert photo.image.name.endswith(".jpg")
    image = stored_only_pixels(photo)
    assert image.format == "JPEG" and image.size == size == (photo.width, photo.height)


def test_an_mpo_keeps_its_first_frame():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (255, 0, 0)).save(
        buffer, "MPO", save_all=True, append_images=[Image.new("RGB", (64, 48), (0, 0, 255))], exif=exif_with_gps()
    )
    assert Image.open(io.BytesIO(buffer.getvalue())).n_frames == 2
    assert photo_gps(upload(buffer.getvalue())) == pytest.approx((126.976667, 37.575833), abs=1e-5)
    image = stored_only_pixels(make_report(photos=[upload(buffer.getvalue())]).photos.get())
    red, green, blue = image.convert("RGB").getpixel((32, 24))
    assert red > 200 and blue < 50


def test_jpeg_comment_xmp_exif_gps_and_icc_are_all_dropped():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 80, 40)).save(
        buffer, "JPEG", comment=COMMENT.encode(), xmp=b"<x:xmpmeta>secret-xmp</x:xmpmeta>",
        exif=exif_with_gps(), icc_profile=display_p3_icc(),
    )
    data = buffer.getvalue()
    for planted in (COMMENT, "secret-xmp", "CameraMaker"):
        assert planted.encode() in data  # really planted
    assert photo_gps(upload(data)) == pytest.approx((126.976667, 37.575833), abs=1e-5)
    image = stored_only_pixels(make_report(photos=[upload(data)]).photos.get())
    assert image.format == "JPEG"


def test_a_polyglot_loses_its_comment_script_and_appended_html_and_zip():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 10)).save(buffer, "JPEG", comment=COMMENT.encode())
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("evil.html", "<html><script>alert(1)</script></html>")
    polyglot = buffer.getvalue() + b"<html><body><script>alert(1)</script></body></html>" + archive.getvalue()
    assert zipfile.is_zipfile(io.BytesIO(polyglot))
    image = stored_only_pixels(make_report(photos=[upload(polyglot, name="x.jpg")]).photos.get())
    assert image.format == "JPEG" and image.size == (64, 48)


def test_png_text_itxt_ztxt_exif_and_icc_chunks_are_dropped():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", COMMENT)
    info.add_text("Description", "CameraMaker", zip=True)
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>secret-xmp</x:xmpmeta>")
    buffer = io.BytesIO()
    Image.new("RGBA", (64, 48), (200, 80, 40, 128)).save(
        buffer, "PNG", pnginfo=info, exif=exif_with_gps(), icc_profile=display_p3_icc()
    )
    assert {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"iCCP"} <= set(png_chunks(buffer.getvalue()))
    assert photo_gps(upload(buffer.getvalue(), "a.png", "image/png")) == pytest.approx((126.976667, 37.575833), abs=1e-5)
    image = stored_only_pixels(make_report(photos=[upload(buffer.getvalue(), "a.png", "image/png")]).photos.get())
    assert image.format == "PNG" and image.mode == "RGBA" and image.getpixel((1, 1))[3] == 128


def test_webp_exif_xmp_and_icc_are_dropped():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 80, 40)).save(
        buffer, "WEBP", exif=exif_with_gps(), xmp=b"<x:xmpmeta>secret-xmp</x:xmpmeta>", icc_profile=display_p3_icc()
    )
    assert {b"EXIF", b"XMP ", b"ICCP"} <= set(webp_chunks(buffer.getvalue()))
    assert photo_gps(upload(buffer.getvalue(), "a.webp", "image/webp")) == pytest.approx((126.976667, 37.575833), abs=1e-5)
    image = stored_only_pixels(make_report(photos=[upload(buffer.getvalue(), "a.webp", "image/webp")]).photos.get())
    assert image.format == "WEBP" and image.size == (64, 48)


def test_heic_from_an_iphone_is_stored_as_jpeg_upright_and_its_gps_offered():
    exif = Image.Exif()
    exif.load(exif_with_gps())
    exif[0x0112] = 6  # taken with the phone turned: shown rotated 90 degrees
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 80, 40)).save(buffer, "HEIF", exif=exif.tobytes(), xmp=b"<x:xmpmeta>secret-xmp</x:xmpmeta>")
    assert Image.open(io.BytesIO(buffer.getvalue())).format == "HEIF"
    assert photo_gps(upload(buffer.getvalue(), "IMG_0001.HEIC", "image/heic")) == pytest.approx((126.976667, 37.575833), abs=1e-5)
    photo = make_report(photos=[upload(buffer.getvalue(), "IMG_0001.HEIC", "image/heic")]).photos.get()
    assert photo.image.name.endswith(".jpg")
    image = stored_only_pixels(photo)
    assert image.format == "JPEG" and image.size == (48, 64)


def test_a_jpeg_is_turned_upright_by_its_exif_orientation_before_the_exif_goes():
    exif = Image.Exif()
    exif.load(exif_with_gps())
    exif[0x0112] = 6
    source = Image.new("RGB", (64, 48), (0, 0, 255))
    source.paste((255, 0, 0), (0, 0, 64, 8))  # a red band along the top edge
    buffer = io.BytesIO()
    source.save(buffer, "JPEG", exif=exif.tobytes(), quality=95)
    image = stored_only_pixels(make_report(photos=[upload(buffer.getvalue())]).photos.get())
    assert image.size == (48, 64)
    # Orientation 6 turns the image 90 degrees clockwise: the top edge becomes the right edge.
    assert image.getpixel((46, 32))[0] > 200 and image.getpixel((2, 32))[2] > 200


def test_other_formats_are_refused_with_a_korean_message():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48)).save(buffer, "GIF")
    with translation.override("ko"), pytest.raises(DomainError) as exc:
        make_report(photos=[upload(buffer.getvalue(), "a.gif", "image/gif")])
    assert "HEIC 사진이 아니거나 손상된 파일입니다" in exc.value.fields["photos"][0]
    assert Report.objects.count() == 0 and ReportPhoto.objects.count() == 0


def test_a_display_p3_photo_keeps_its_colours_without_a_profile():
    """A Display P3 photo is converted to sRGB pixels, then stored without any profile."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (60, 200, 60)).save(buffer, "JPEG", icc_profile=display_p3_icc(), quality=95)
    image = stored_only_pixels(make_report(photos=[upload(buffer.getvalue())]).photos.get())
    expected = ImageCms.profileToProfile(
        Image.new("RGB", (1, 1), (60, 200, 60)), ImageCms.ImageCmsProfile(io.BytesIO(display_p3_icc())), ImageCms.createProfile("sRGB")
    ).getpixel((0, 0))
    assert abs(expected[0] - 60) > 30  # this P3 green differs in sRGB: the conversion really happened
    assert image.getpixel((32, 24)) == pytest.approx(expected, abs=8)


def test_a_16_bit_grey_png_is_scaled_to_8_bits_not_clipped_to_white():
    buffer = io.BytesIO()
    Image.new("I;16", (64, 48), 32768).save(buffer, "PNG")
    image = stored_only_pixels(make_report(photos=[upload(buffer.getvalue(), "a.png", "image/png")]).photos.get())
    assert image.mode == "L" and image.getpixel((1, 1)) == 128
