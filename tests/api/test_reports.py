"""REST /api/v1/ reports, categories, comments and supports; every response checked against the OpenAPI document."""

from __future__ import annotations

import json

import pytest

from clients.services import api_client_create, api_key_create
from reports.models import Channel, Comment, Report
from reports.services import report_change_status
from tests.api.openapi import assert_matches_schema
from tests.factories import (
    HAEUNDAE,
    JONGNO,
    SEA_EAST_OF_ULSAN,
    CategoryFactory,
    QuestionFactory,
    make_report,
    photo_upload,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/"


@pytest.fixture
def category(db):
    category = CategoryFactory(code="dumping-test", name="무단투기", name_en="Dumping")
    QuestionFactory(category=category, code="kinds", datatype="multivaluelist", required=True,
                    values=[{"key": "bulky", "name": "대형"}, {"key": "household", "name": "생활"}])
    return category


@pytest.fixture
def auth(db):
    client = api_client_create(name="REST app")
    _key, raw = api_key_create(client=client, scopes=["read", "submit"])
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def payload(cat, **extra):
    return {"category": cat.code, "lat": JONGNO[1], "lon": JONGNO[0], "description": "쓰레기가 쌓여 있어요",
            "answers": {"kinds": ["bulky"]}, "email": "me@example.kr", "name": "홍길동", "phone": "010-0000-0000", **extra}


def post_json(client, data, **headers):
    return client.post(URL, json.dumps(data), content_type="application/json", **headers)


def test_create_json_and_read_back(client, category, auth):
    response = post_json(client, payload(category), **auth)
    body = assert_matches_schema(response)
    assert response.status_code == 201
    report = Report.objects.get(pk=body["id"])
    assert report.channel == Channel.API and report.api_client.name == "REST app"
    assert body["token"] == str(report.token) and body["answers"] == {"kinds": ["bulky"]}
    assert body["local_government"] == {"code": "11010", "name": "종로구"} and body["state"] == "open"
    detail = client.get(f"{URL}{report.pk}/")
    assert assert_matches_schema(detail)["id"] == report.pk
    text = detail.content.decode() + client.get(URL).content.decode()
    for private in ("me@example.kr", "010-0000-0000", "홍길동"):
        assert private not in text
    # The same id is the Open311 service_request_id.
    assert json.loads(client.get(f"/open311/v2/requests/{report.pk}.json").content)[0]["service_request_id"] == str(report.pk)


def test_create_multipart_with_photos_and_answers_as_json_string(client, category, auth):
    data = {**payload(category), "answers": json.dumps({"kinds": ["household"]}), "photos": [photo_upload(), photo_upload("WEBP", name="p.webp")]}
    response = client.post(URL, data, **auth)
    body = assert_matches_schema(response)
    assert response.status_code == 201 and len(body["photos"]) == 2
    assert Report.objects.get().answers == {"kinds": ["household"]}


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"category": "nope"}, 400, "unknown_category"),
        ({"lat": 137}, 400, "invalid"),
        ({"lat": "north"}, 400, "invalid"),
        ({"lat": SEA_EAST_OF_ULSAN[1], "lon": SEA_EAST_OF_ULSAN[0]}, 400, "outside_service_area"),
        ({"answers": {}}, 400, "invalid"),
        ({"answers": {"kinds": ["gold"]}}, 400, "invalid"),
        ({"answers": "not json"}, 400, "invalid"),
        ({"answers": [1, 2]}, 400, "invalid"),
        ({"description": "가" * 4001}, 400, "invalid"),
        ({"email": "nope"}, 400, "invalid"),
    ],
)
def test_create_bad_input(client, category, auth, change, status, code):
    response = post_json(client, payload(category, **change), **auth)
    assert response.status_code == status
    assert assert_matches_schema(response)["error"]["code"] == code
    assert Report.objects.count() == 0


def test_create_bad_bodies_and_keys(client, category, auth):
    assert client.post(URL, "{broken", content_type="application/json", **auth).status_code == 400
    assert client.post(URL, "a=b", content_type="text/plain", **auth).status_code == 415
    assert client.post(URL, b"--x\r\nbroken", content_type="multipart/form-data; boundary=x", **auth).status_code == 400
    assert client.post(URL, "[1]", content_type="application/json", **auth).status_code == 400
    response = post_json(client, payload(category))
    assert response.status_code == 401 and assert_matches_schema(response)["error"]["code"] == "not_authenticated"
    response = post_json(client, payload(category), HTTP_X_API_KEY="dn_wrong")
    assert response.status_code == 401 and response.json()["error"]["code"] == "api_key_invalid"
    _key, reader = api_key_create(client=api_client_create(name="Reader"), scopes=["read"])
    response = post_json(client, payload(category), HTTP_X_API_KEY=reader)
    assert response.status_code == 403 and assert_matches_schema(response)["error"]["code"] == "api_key_scope"
    disguised = photo_upload()
    disguised.file.write(b"\x00" * 50)
    disguised.file.seek(0)
    disguised.file.write(b"GIF89a not really")
    disguised.file.seek(0)
    response = client.post(URL, {**payload(category), "answers": json.dumps({"kinds": ["bulky"]}), "photos": [disguised]}, **auth)
    assert response.status_code == 400 and "photos" in response.json()["error"]["fields"]
    assert Report.objects.count() == 0


def test_idempotency_key_on_rest(client, category, auth):
    first = post_json(client, payload(category), HTTP_IDEMPOTENCY_KEY="k1", **auth)
    again = post_json(client, payload(category), HTTP_IDEMPOTENCY_KEY="k1", **auth)
    assert first.status_code == again.status_code == 201 and first.content == again.content
    other = post_json(client, payload(category, description="다른 내용"), HTTP_IDEMPOTENCY_KEY="k1", **auth)
    assert other.status_code == 422 and assert_matches_schema(other)["error"]["code"] == "idempotency_key_reused"
    assert Report.objects.count() == 1


@pytest.fixture
def several(category):
    other = CategoryFactory(code="light-test")
    a = make_report(category=other)
    b = make_report(category=other, at=HAEUNDAE)
    c = make_report(category=other)
    report_change_status(report=c, to_status="in_progress")
    d = make_report(category=other)
    report_change_status(report=d, to_status="closed", outcome="resolved")
    return a, b, c, d


def ids(response) -> set[int]:
    return {item["id"] for item in assert_matches_schema(response)["results"]}


def test_list_filters_and_cursor_pagination(client, several):
    a, b, c, d = several
    assert ids(client.get(URL)) == {a.pk, b.pk, c.pk, d.pk}
    assert ids(client.get(URL, {"status": "open"})) == {a.pk, b.pk, c.pk}
    assert ids(client.get(URL, {"status": "in_progress,closed"})) == {c.pk, d.pk}
    assert ids(client.get(URL, {"local_government": "21090"})) == {b.pk}
    assert ids(client.get(URL, {"local_government": "21"})) == {b.pk}
    assert ids(client.get(URL, {"bbox": "126.9,37.5,127.0,37.6", "category": "light-test"})) == {a.pk, c.pk, d.pk}
    assert ids(client.get(URL, {"category": "dumping-test"})) == set()
    seen: list[int] = []
    response = client.get(URL, {"page_size": 3})
    while True:
        page = assert_matches_schema(response)
        seen += [item["id"] for item in page["results"]]
        if not page["next"]:
            break
        response = client.get(page["next"])
    assert seen == [d.pk, c.pk, b.pk, a.pk]
    for bad in ({"bbox": "x"}, {"status": "lost"}, {"start": "soon"}, {"local_government": "Seoul"}, {"page_size": "0"}):
        response = client.get(URL, bad)
        assert response.status_code == 400 and assert_matches_schema(response)["error"]["code"]
    assert client.get(URL, {"cursor": "garbage"}).status_code == 404


def test_list_query_budget(client, category, django_assert_max_num_queries):
    for _ in range(10):
        report = make_report(category=category, answers={"kinds": ["bulky"]}, photos=[photo_upload()])
    with django_assert_max_num_queries(4):
        response = client.get(URL)
    assert len(response.json()["results"]) == 10 and report.pk in {r["id"] for r in response.json()["results"]}


def test_detail_hides_hidden_and_unknown(client, several):
    a = several[0]
    Report.objects.filter(pk=a.pk).update(is_hidden=True)
    for url in (f"{URL}{a.pk}/", f"{URL}99999999/", f"{URL}99999999999999999999999/"):
        response = client.get(url)
        assert response.status_code == 404 and assert_matches_schema(response)["error"]["code"] == "not_found"


def test_categories(client, category):
    body = assert_matches_schema(client.get("/api/v1/categories/"))
    mine = next(item for item in body if item["code"] == "dumping-test")
    assert mine["questions"][0]["code"] == "kinds" and mine["questions"][0]["values"][0]["key"] == "bulky"
    assert assert_matches_schema(client.get("/api/v1/categories/dumping-test/"))["name_en"] == "Dumping"
    assert client.get("/api/v1/categories/nope/").status_code == 404


def test_comments_and_support(client, several, auth):
    a = several[0]
    url = f"{URL}{a.pk}/comments/"
    assert assert_matches_schema(client.get(url)) == []
    response = client.post(url, {"text": "저도 봤어요", "name": "김철수", "email": "kim@example.kr"}, content_type="application/json", **auth)
    body = assert_matches_schema(response)
    assert response.status_code == 201 and body["author_name"] == ""
    client.post(url, {"text": "<b>shown</b>", "name": "박영희", "show_name": True}, content_type="application/json", **auth)
    listed = assert_matches_schema(client.get(url))
    assert [c["text"] for c in listed] == ["저도 봤어요", "shown"] and listed[1]["author_name"] == "박영희"
    assert "kim@example.kr" not in client.get(url).content.decode()
    assert client.post(url, {"text": "   "}, content_type="application/json", **auth).status_code == 400
    assert client.post(url, {"text": "x"}, content_type="application/json").status_code == 401
    assert Comment.objects.count() == 2

    support = f"{URL}{a.pk}/support/"
    first = client.post(support, {"email": "Fan@example.kr"}, content_type="application/json", **auth)
    assert first.status_code == 201 and assert_matches_schema(first) == {"supported": True, "support_count": 1}
    again = client.post(support, {"email": "fan@example.kr"}, content_type="application/json", **auth)
    assert again.status_code == 200 and again.json() == {"supported": False, "support_count": 1}
    closed = several[3]
    response = client.post(f"{URL}{closed.pk}/support/", {"email": "x@example.kr"}, content_type="application/json", **auth)
    assert response.status_code == 400 and response.json()["error"]["code"] == "report_closed"
    assert client.post(f"{URL}999999/support/", {"email": "x@example.kr"}, content_type="application/json", **auth).status_code == 404


def _key_headers(name: str, scopes: list[str], government=None) -> dict:
    _key, raw = api_key_create(client=api_client_create(name=name, local_government=government), scopes=scopes)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_reporter_contacts_only_for_staff_of_the_responsible_government(client, category):
    app = api_client_create(name="Filing app")
    answers = {"kinds": ["bulky"]}
    jongno = make_report(category=category, at=JONGNO, api_client=app, answers=answers, reporter_email="me@example.kr",
                         reporter_phone="010-0000-0000", reporter_name="홍길동")
    haeundae = make_report(category=category, at=HAEUNDAE, api_client=app, answers=answers,
                           reporter_email="busan@example.kr", reporter_phone="010-9999-8888")
    staff = _key_headers("Jongno staff app", ["read", "staff"], jongno.local_government)

    body = assert_matches_schema(client.get(f"{URL}{jongno.pk}/", **staff))
    assert body["reporter"] == {"email": "me@example.kr", "phone": "010-0000-0000", "name": "홍길동"}
    # Not another government's reporters, and never in the list.
    assert "reporter" not in assert_matches_schema(client.get(f"{URL}{haeundae.pk}/", **staff))
    listed = client.get(URL, **staff).content.decode()
    assert "me@example.kr" not in listed and "010-0000-0000" not in listed

    others = [
        {},  # anonymous
        _key_headers("Plain app", ["read", "submit"]),
        _key_headers("Staff app of no government", ["read", "staff"]),
        _key_headers("Jongno app without staff scope", ["read", "submit"], jongno.local_government),
        _key_headers("Haeundae staff app", ["read", "staff"], haeundae.local_government),
    ]
    for headers in others:
        detail = client.get(f"{URL}{jongno.pk}/", **headers)
        assert "reporter" not in assert_matches_schema(detail)
        assert "me@example.kr" not in detail.content.decode() and "010-0000-0000" not in detail.content.decode()
