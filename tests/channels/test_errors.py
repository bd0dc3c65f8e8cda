"""One error catalogue: the same bad report gets the same error code from the web form, REST and Open311.

Each channel renders core.errors.DomainError in its own format (a page, the REST envelope,
Open311's wire format); the code and the fields it names must agree, and nothing is stored.
"""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clients.services import api_client_create, api_key_create
from core.errors import DomainError, ErrorCode
from reports.models import Report
from tests.api.openapi import assert_matches_schema
from tests.factories import JONGNO, SEA_EAST_OF_ULSAN, CategoryFactory, QuestionFactory, photo_upload

pytestmark = pytest.mark.django_db

GOOD = {"lon": JONGNO[0], "lat": JONGNO[1], "description": "가로등이 꺼져 있어요"}
NOT_A_PHOTO = b"%PDF-1.4 this is not an image"

# name: (changes to a good report, expected code, expected fields)
CASES = {
    "outside the service area": ({"lon": SEA_EAST_OF_ULSAN[0], "lat": SEA_EAST_OF_ULSAN[1]}, "outside_service_area", set()),
    "description too long": ({"description": "가" * 4001}, "invalid", {"description"}),
    "blank description": ({"description": "   "}, "invalid", {"description"}),
    "required answer missing": ({"answer": None}, "invalid", {"answers.kind"}),
    "not a photo": ({"photo": NOT_A_PHOTO}, "invalid", {"photos"}),
}


@pytest.fixture
def category(db):
    category = CategoryFactory(code="errors-lamp", name="가로등 고장", name_en="Broken street light")
    QuestionFactory(category=category, code="kind", datatype="singlevaluelist", required=True,
                    values=[{"key": "off", "name": "꺼짐"}, {"key": "blinking", "name": "깜빡임"}])
    return category


@pytest.fixture
def api_key(db) -> str:
    _key, raw = api_key_create(client=api_client_create(name="errors app"), scopes=["read", "submit"])
    return raw


def _report(changes: dict) -> dict:
    report = {**GOOD, "answer": "off", "photo": None, **changes}
    return report


def _upload(content: bytes | None):
    if content is None:
        return photo_upload()
    return SimpleUploadedFile("photo.jpg", content, content_type="image/jpeg")


def through_web(client, category, report: dict) -> tuple[str, set[str]]:
    page = client.get("/reports/new/")
    token = re.search(r'name="form_token" value="([0-9a-f-]+)"', page.content.decode()).group(1)
    data = {
        "form_token": token, "lon": report["lon"], "lat": report["lat"], "category": category.code,
        "description": report["description"], "email": "errors@example.kr", "consent": "on",
        "photos": [_upload(report["photo"])],
    }
    if report["answer"] is not None:
        data[f"answer-{category.code}-kind"] = report["answer"]
    response = client.post("/reports/new/", data)
    assert response.status_code == 400
    summary = re.search(r'data-error-code="([a-z_]*)" data-error-fields="([^"]*)"', response.content.decode())
    return summary.group(1), set(unescape(summary.group(2)).split())


def through_rest(client, category, report: dict, api_key: str) -> tuple[str, set[str]]:
    data = {"category": category.code, "lon": report["lon"], "lat": report["lat"], "description": report["description"],
            "email": "errors@example.kr"}
    if report["answer"] is not None:
        data["answers"] = json.dumps({"kind": report["answer"]})
    data["photos"] = [_upload(report["photo"])]
    response = client.post("/api/v1/reports/", data, HTTP_AUTHORIZATION=f"Bearer {api_key}")
    assert response.status_code == 400, response.content[:300]
    body = assert_matches_schema(response)["error"]
    return body["code"], set(body.get("fields", {}))


def through_open311(client, category, report: dict, api_key: str) -> tuple[str, set[str]]:
    data = {"api_key": api_key, "service_code": category.code, "lat": report["lat"], "long": report["lon"],
            "description": report["description"], "email": "errors@example.kr", "media": [_upload(report["photo"])]}
    if report["answer"] is not None:
        data["attribute[kind]"] = report["answer"]
    response = client.post("/open311/v2/requests.json", data)
    assert response.status_code == 400, response.content[:300]
    [error] = json.loads(response.content)
    assert error["code"] == 400
    # Open311 has one description: the fields it names are spelled out in it.
    named = {field for field in ("description", "photos", "answers.kind") if f"{field}:" in error["description"]}
    return error["error_code"], named


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_the_same_bad_report_gets_the_same_error_in_every_channel(client, category, api_key, case):
    changes, code, fields = CASES[case]
    report = _report(changes)
    answers = {
        "web": through_web(client, category, report),
        "rest": through_rest(client, category, report, api_key),
        "open311": through_open311(client, category, report, api_key),
    }
    assert answers == {channel: (code, fields) for channel in answers}
    assert not Report.objects.exists()


def test_every_code_is_catalogued_with_an_http_status():
    for code in ErrorCode:
        assert 400 <= code.http_status < 600
    with pytest.raises(ValueError):
        DomainError("not_a_catalogued_code", "x")
