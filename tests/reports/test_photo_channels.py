"""A phone camera's MPO photo through every upload channel: a stored JPEG, never a 500.

Staff screens do not upload photos (they only hide them), so the channels are the web form,
the REST API and Open311.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from clients.services import api_client_create, api_key_create
from reports.models import Channel, Report
from tests.factories import JONGNO, CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db
MPO = Path(__file__).resolve().parent.parent / "data" / "photos" / "iphone-14-pro-max.mpo"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def category():
    return CategoryFactory(code="mpo-test", name="시험", name_en="Test")


@pytest.fixture
def api_key():
    _key, raw = api_key_create(client=api_client_create(name="Camera app"), scopes=["read", "submit"])
    return raw


def mpo_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("IMG_0001.JPG", MPO.read_bytes(), content_type="image/jpeg")


def assert_stored_as_jpeg(report: Report) -> None:
    photo = report.photos.get()
    assert photo.image.name.endswith(".jpg")
    with Image.open(photo.image.path) as image:
        assert image.format == "JPEG" and image.size == (56, 70) and "exif" not in image.info


def test_web_form(client, category):
    client.force_login(UserFactory())
    token = re.search(r'name="form_token" value="([0-9a-f-]+)"', client.get("/reports/new/").content.decode()).group(1)
    response = client.post("/reports/new/", {
        "form_token": token, "lon": JONGNO[0], "lat": JONGNO[1], "category": category.code,
        "description": "카메라 사진입니다", "photos": [mpo_upload()],
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    report = Report.objects.get()
    assert report.channel == Channel.WEB
    assert_stored_as_jpeg(report)


def test_rest_multipart(client, category, api_key):
    response = client.post("/api/v1/reports/", {
        "category": category.code, "lat": JONGNO[1], "lon": JONGNO[0], "description": "카메라 사진입니다",
        "email": "me@example.kr", "photos": [mpo_upload()],
    }, HTTP_AUTHORIZATION=f"Bearer {api_key}")
    assert response.status_code == 201, response.content
    report = Report.objects.get()
    assert report.channel == Channel.API and len(response.json()["photos"]) == 1
    assert_stored_as_jpeg(report)


def test_open311_media(client, category, api_key):
    response = client.post("/open311/v2/requests.json", {
        "api_key": api_key, "service_code": category.code, "lat": str(JONGNO[1]), "long": str(JONGNO[0]),
        "description": "카메라 사진입니다", "email": "reporter@example.kr", "media": [mpo_upload()],
    })
    assert response.status_code == 200, response.content
    report = Report.objects.get()
    assert report.channel == Channel.OPEN311
    assert_stored_as_jpeg(report)
