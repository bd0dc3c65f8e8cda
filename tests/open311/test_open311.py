"""Open311 GeoReport v2: every JSON answer validated against the JSON Schemas, every XML parsed."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from clients.models import ApiKey
from clients.services import api_key_revoke
from geodata.models import Area
from reports.models import Channel, Report
from reports.services import report_change_status
from tests.factories import HAEUNDAE, JONGNO, SEA_EAST_OF_ULSAN, CategoryFactory, make_report, photo_upload

from .conftest import (
    BASE,
    assert_errors,
    assert_json_valid,
    assert_single_request_valid,
    parse_xml,
)

pytestmark = pytest.mark.django_db


def post(client, fmt="json", **fields):
    return client.post(f"{BASE}requests.{fmt}", fields)


def valid_fields(api_key, category, **overrides):
    fields = {
        "api_key": api_key, "service_code": category.code, "lat": str(JONGNO[1]), "long": str(JONGNO[0]),
        "description": "도로에 큰 구멍이 있어요", "attribute[size]": "large",
        "email": "reporter@example.kr", "first_name": "길동", "last_name": "홍", "phone": "010-1234-5678",
    }
    fields.update(overrides)
    return fields


# --- discovery and services ---------------------------------------------------------------


def test_discovery_json_and_xml(client):
    body = json.loads(client.get(f"{BASE}discovery.json").content)
    assert set(body) == {"changeset", "contact", "key_service", "endpoints"}
    endpoint = body["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["type"] == "production" and endpoint["formats"] == ["text/xml", "application/json"]
    assert endpoint["url"].endswith("/open311/v2")
    root = parse_xml(client.get(f"{BASE}discovery.xml"), "discovery")
    assert [e.text for e in root.find("endpoints").find("endpoint").find("formats").findall("format")] == ["text/xml", "application/json"]


def test_services_validate_and_filter_by_place(client, pothole):
    own = CategoryFactory(code="busan-own", local_government=Area.objects.current().get(code="21090"))
    body = assert_json_valid(client.get(f"{BASE}services.json"), "services.json")
    by_code = {service["service_code"]: service for service in body}
    assert by_code["pothole-test"]["metadata"] is True and by_code["pothole-test"]["type"] == "realtime"
    assert by_code["pothole-test"]["keywords"] == "road,pothole" and by_code["pothole-test"]["group"] == "도로"

    at_jongno = assert_json_valid(client.get(f"{BASE}services.json", {"lat": JONGNO[1], "long": JONGNO[0]}), "services.json")
    assert "pothole-test" in {s["service_code"] for s in at_jongno} and own.code not in {s["service_code"] for s in at_jongno}
    at_haeundae = assert_json_valid(client.get(f"{BASE}services.json", {"lat": HAEUNDAE[1], "long": HAEUNDAE[0]}), "services.json")
    assert own.code in {s["service_code"] for s in at_haeundae}
    in_jurisdiction = assert_json_valid(client.get(f"{BASE}services.json", {"jurisdiction_id": "21090"}), "services.json")
    assert own.code in {s["service_code"] for s in in_jurisdiction}

    root = parse_xml(client.get(f"{BASE}services.xml"), "services")
    services = root.findall("service")
    assert services and {child.tag for child in services[0]} == {
        "service_code", "service_name", "description", "metadata", "type", "keywords", "group"
    }


def test_services_errors(client, pothole):
    assert_errors(client.get(f"{BASE}services.json", {"jurisdiction_id": "99999"}), 404)
    assert_errors(client.get(f"{BASE}services.xml", {"jurisdiction_id": "1101072"}), 404, "xml")  # a 읍면동 governs nothing
    body = assert_errors(client.get(f"{BASE}services.json", {"lat": SEA_EAST_OF_ULSAN[1], "long": SEA_EAST_OF_ULSAN[0]}), 400)
    assert body[0]["error_code"] == "outside_service_area"
    assert_errors(client.get(f"{BASE}services.json", {"lat": "north", "long": "127"}), 400)
    assert_errors(client.get(f"{BASE}services.json", {"lat": "137", "long": "127"}), 400)
    assert_errors(client.get(f"{BASE}services.json", {"lat": "37"}), 400)


def test_service_definition(client, pothole):
    body = assert_json_valid(client.get(f"{BASE}services/pothole-test.json"), "service-definition.json")
    assert body["service_code"] == "pothole-test"
    size, kinds, depth = body["attributes"]
    assert size == {
        "variable": True, "code": "size", "datatype": "singlevaluelist", "required": True, "datatype_description": None,
        "order": 1, "description": "질문", "values": [{"key": "small", "name": "작음"}, {"key": "large", "name": "큼"}],
    }
    assert kinds["datatype"] == "multivaluelist" and depth["datatype"] == "number" and depth["order"] == 3
    english = json.loads(client.get(f"{BASE}services/pothole-test.json", HTTP_ACCEPT_LANGUAGE="en").content)
    assert english["attributes"][0]["values"][1]["name"] == "Large"

    root = parse_xml(client.get(f"{BASE}services/pothole-test.xml"), "service_definition")
    attribute = root.find("attributes").findall("attribute")[0]
    assert [child.tag for child in attribute] == [
        "variable", "code", "datatype", "required", "datatype_description", "order", "description", "values"
    ]
    assert attribute.find("variable").text == "true"
    assert [v.find("key").text for v in attribute.find("values").findall("value")] == ["small", "large"]
    assert_errors(client.get(f"{BASE}services/nope.json"), 404)
    assert_errors(client.get(f"{BASE}services/nope.xml"), 404, "xml")


def test_unknown_format_is_an_error(client, pothole):
    for url in ("services.yaml", "requests.html", "services/pothole-test.csv", "discovery.txt"):
        response = client.get(BASE + url)
        assert response.status_code == 404
        assert json.loads(response.content)[0]["code"] == 404


# --- POST requests ----------------------------------------------------------------------------


def test_post_request_creates_through_report_create(client, pothole, api_key):
    response = post(client, **valid_fields(api_key, pothole, **{"attribute[kinds][]": ["a", "c"], "account_id": "acc-7", "device_id": "dev-1"}))
    assert response.status_code == 200, response.content
    body = json.loads(response.content)
    assert set(body[0]) == {"service_request_id", "token", "service_notice", "account_id"}
    report = Report.objects.get(pk=int(body[0]["service_request_id"]))
    assert str(report.token) == body[0]["token"] and body[0]["account_id"] == "acc-7"
    assert report.channel == Channel.OPEN311
    assert report.api_client == ApiKey.objects.get().client
    assert report.answers == {"size": "large", "kinds": ["a", "c"]}
    assert report.local_government.code == "11010"
    assert (report.reporter_email, report.reporter_phone, report.device_id) == ("reporter@example.kr", "010-1234-5678", "dev-1")
    assert report.confirmed_at is not None

    # The new request is public, and nothing private leaks into any GET.
    for url in (f"requests/{report.pk}.json", f"requests/{report.pk}.xml", "requests.json", "requests.json?extensions=true"):
        text = client.get(BASE + url).content.decode()
        for private in ("reporter@example.kr", "010-1234-5678", "길동", "dev-1", "acc-7"):
            assert private not in text


def test_post_request_xml_and_media_url(client, pothole, api_key):
    response = post(client, "xml", **valid_fields(api_key, pothole, media_url="https://img.example.kr/1.jpg"))
    assert response.status_code == 200
    request = parse_xml(response, "service_requests").find("request")
    assert [child.tag for child in request] == ["service_request_id", "token", "service_notice", "account_id"]
    report = Report.objects.get(pk=int(request.find("service_request_id").text))
    assert report.media_url == "https://img.example.kr/1.jpg"
    body = assert_single_request_valid(client.get(f"{BASE}requests/{report.pk}.json"))
    assert body[0]["media_url"] == "https://img.example.kr/1.jpg"


def test_post_request_with_address_string(client, pothole, api_key):
    fields = valid_fields(api_key, pothole, address_string="서울특별시 종로구 청운효자동")
    del fields["lat"], fields["long"]
    response = post(client, **fields)
    assert response.status_code == 200, response.content
    report = Report.objects.get(pk=int(json.loads(response.content)[0]["service_request_id"]))
    assert report.submunicipal_unit.name == "청운효자동"
    body = assert_errors(post(client, **{**fields, "address_string": "어딘지모를동네동"}), 400)
    assert body[0]["error_code"] == "unknown_address"
    assert_errors(post(client, **{**fields, "address_string": "중앙동"}), 400)  # dozens of 중앙동: ambiguous
    assert Report.objects.count() == 1


def test_post_request_key_errors(client, pothole, api_key, read_only_key):
    fields = valid_fields(api_key, pothole)
    assert_errors(post(client, **{k: v for k, v in fields.items() if k != "api_key"}), 403)
    assert_errors(post(client, **{**fields, "api_key": "dn_not-a-key"}), 403)
    assert_errors(post(client, "xml", **{**fields, "api_key": read_only_key}), 403, "xml")
    key = ApiKey.objects.get(client__name="Test app")
    key.expires_at = timezone.now() - timedelta(minutes=1)
    key.save()
    assert assert_errors(post(client, **fields), 403)[0]["error_code"] == "api_key_expired"
    key.expires_at = None
    key.save()
    assert post(client, **fields).status_code == 200
    api_key_revoke(key=key)
    assert assert_errors(post(client, **fields), 403)[0]["error_code"] == "api_key_revoked"
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "status", "code"),
    [
        ({"service_code": ""}, 400, "service_code_required"),
        ({"service_code": "no-such-service"}, 404, "unknown_service"),
        ({"attribute[size]": ""}, 400, "invalid"),
        ({"attribute[size]": "enormous"}, 400, "invalid"),
        ({"attribute[depth]": "deep"}, 400, "invalid"),
        ({"attribute[nonsense]": "1"}, 400, "invalid"),
        ({"description": "가" * 4001}, 400, "invalid"),
        ({"description": ""}, 400, "invalid"),
        ({"lat": "abc"}, 400, "invalid_location"),
        ({"lat": "95"}, 400, "invalid_location"),
        ({"lat": "nan"}, 400, "invalid_location"),
        ({"lat": ""}, 400, "invalid_location"),
        ({"lat": str(SEA_EAST_OF_ULSAN[1]), "long": str(SEA_EAST_OF_ULSAN[0])}, 400, "outside_service_area"),
        ({"email": "not-an-email"}, 400, "invalid_email"),
        ({"media_url": "javascript:alert(1)"}, 400, "invalid_media_url"),
        ({"jurisdiction_id": "21090"}, 400, "outside_jurisdiction"),
        ({"jurisdiction_id": "00000"}, 404, "unknown_jurisdiction"),
    ],
)
def test_post_request_bad_input(client, pothole, api_key, overrides, status, code):
    for fmt in ("json", "xml"):
        response = post(client, fmt, **valid_fields(api_key, pothole, **overrides))
        errors = assert_errors(response, status, fmt)
        assert errors[0]["error_code"] == code
    assert Report.objects.count() == 0


def test_post_request_content_types_and_bodies(client, pothole, api_key):
    fields = valid_fields(api_key, pothole)
    response = client.post(f"{BASE}requests.json", json.dumps(fields), content_type="application/json")
    assert assert_errors(response, 400)[0]["error_code"] == "unsupported_content_type"
    broken = b"--xyz\r\nContent-Disposition: form-data; name=\"api_key\"\r\n\r\n" + api_key.encode()
    response = client.post(f"{BASE}requests.json", broken, content_type="multipart/form-data; boundary=xyz")
    assert response.status_code in (400, 403)
    response = client.post(f"{BASE}requests.json", b"--", content_type="multipart/form-data")  # no boundary
    assert_errors(response, 400)
    assert Report.objects.count() == 0


def test_post_request_multipart_with_photos(client, pothole, api_key):
    fields = valid_fields(api_key, pothole, media=[photo_upload(), photo_upload("PNG", name="b.png")])
    response = client.post(f"{BASE}requests.json", fields)  # the test client sends multipart
    assert response.status_code == 200, response.content
    report = Report.objects.get()
    assert report.photos.count() == 2
    body = assert_single_request_valid(client.get(f"{BASE}requests/{report.pk}.json", {"extensions": "true"}))
    assert len(body[0]["extended_attributes"]["photos"]) == 2
    assert body[0]["media_url"].startswith("http://testserver/media/")

    disguised = photo_upload()
    disguised.file.seek(0)
    disguised.file.write(b"<?php echo 'not a photo'; ?>" * 10)
    disguised.file.seek(0)
    response = client.post(f"{BASE}requests.json", valid_fields(api_key, pothole, media=[disguised]))
    assert assert_errors(response, 400)[0]["error_code"] == "invalid"
    assert Report.objects.count() == 1


# --- GET requests -----------------------------------------------------------------------------


@pytest.fixture
def reports(pothole):
    other = CategoryFactory(code="streetlight-test")
    first = make_report(category=pothole, answers={"size": "small"})
    second = make_report(category=other, at=HAEUNDAE)
    closed = make_report(category=pothole, answers={"size": "large"})
    report_change_status(report=closed, to_status="closed", outcome="resolved", public_note="고쳤습니다", actor_label="종로구")
    old = make_report(category=other, created_at=timezone.now() - timedelta(days=120))
    hidden = make_report(category=other)
    Report.objects.filter(pk=hidden.pk).update(is_hidden=True)
    return {"first": first, "second": second, "closed": closed, "old": old, "hidden": hidden}


def ids(body) -> set[int]:
    return {int(item["service_request_id"]) for item in body}


def test_get_requests_filters(client, reports):
    r = reports
    body = assert_json_valid(client.get(f"{BASE}requests.json"), "requests.json")
    assert ids(body) == {r["first"].pk, r["second"].pk, r["closed"].pk}  # last 90 days, public only
    assert body[0]["requested_datetime"].endswith("+09:00")
    assert ids(assert_json_valid(client.get(f"{BASE}requests.json", {"service_code": "pothole-test"}), "requests.json")) == {r["first"].pk, r["closed"].pk}
    assert ids(assert_json_valid(client.get(f"{BASE}requests.json", {"status": "closed"}), "requests.json")) == {r["closed"].pk}
    assert ids(assert_json_valid(client.get(f"{BASE}requests.json", {"status": "open"}), "requests.json")) == {r["first"].pk, r["second"].pk}
    start = (timezone.now() - timedelta(days=150)).date().isoformat()
    end = (timezone.now() - timedelta(days=70)).date().isoformat()
    assert ids(assert_json_valid(client.get(f"{BASE}requests.json", {"start_date": start, "end_date": end}), "requests.json")) == {r["old"].pk}
    wanted = f"{r['old'].pk},{r['second'].pk},{r['hidden'].pk}"
    by_id = assert_json_valid(client.get(f"{BASE}requests.json", {"service_request_id": wanted, "status": "closed"}), "requests.json")
    assert ids(by_id) == {r["old"].pk, r["second"].pk}  # the id list overrides the other filters; hidden stays hidden
    assert ids(json.loads(client.get(f"{BASE}requests.json", {"bbox": "128.9,35.0,129.3,35.3"}).content)) == {r["second"].pk}
    assert ids(json.loads(client.get(f"{BASE}requests.json", {"jurisdiction_id": "21090"}).content)) == {r["second"].pk}
    page1 = json.loads(client.get(f"{BASE}requests.json", {"page_size": 2, "page": 1}).content)
    page2 = json.loads(client.get(f"{BASE}requests.json", {"page_size": 2, "page": 2}).content)
    assert len(page1) == 2 and len(page2) == 1 and not ids(page1) & ids(page2)
    assert json.loads(client.get(f"{BASE}requests.json", {"page_size": 2, "page": 9}).content) == []
    later = (timezone.now() + timedelta(minutes=1)).isoformat()
    assert json.loads(client.get(f"{BASE}requests.json", {"updated_after": later}).content) == []


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "2026-01-01", "end_date": "2026-06-01"},
        {"start_date": "yesterday"},
        {"start_date": "2026-05-01", "end_date": "2026-04-01"},
        {"status": "pending"},
        {"service_request_id": "1,abc"},
        {"bbox": "1,2,3"},
        {"page_size": "0"},
        {"page_size": "5000"},
        {"page": "-1"},
        {"updated_after": "soon"},
    ],
)
def test_get_requests_bad_parameters(client, reports, params):
    assert_errors(client.get(f"{BASE}requests.json", params), 400)
    assert_errors(client.get(f"{BASE}requests.xml", params), 400, "xml")


def test_get_requests_extensions_and_xml(client, reports):
    closed = reports["closed"]
    body = assert_single_request_valid(client.get(f"{BASE}requests/{closed.pk}.json", {"extensions": "true"}))
    item = body[0]
    assert item["status"] == "closed" and item["status_notes"] == "고쳤습니다"
    assert item["service_code"] == "pothole-test" and item["agency_responsible"] == "종로구"
    assert item["extended_attributes"] == {
        "local_government_code": "11010", "local_government_name": "종로구", "channel": "web",
        "workflow_status": "closed", "outcome": "resolved", "support_count": 0, "photos": [],
    }
    assert [note["type"] for note in item["notes"]] == ["created", "status"]
    assert item["notes"][1]["description"] == "고쳤습니다" and item["notes"][1]["datetime"].endswith("+09:00")

    root = parse_xml(client.get(f"{BASE}requests.xml", {"extensions": "true"}), "service_requests")
    requests = root.findall("request")
    assert len(requests) == 3
    tags = [child.tag for child in requests[0]]
    assert tags[:18] == [
        "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
        "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
        "address", "address_id", "zipcode", "lat", "long", "media_url", "extended_attributes",
    ]
    assert requests[0].find("notes").find("note").find("type").text == "created"
    single = parse_xml(client.get(f"{BASE}requests/{closed.pk}.xml"), "service_requests")
    assert [r.find("service_request_id").text for r in single.findall("request")] == [str(closed.pk)]


def test_get_request_and_token_lookups(client, reports):
    first = reports["first"]
    assert_errors(client.get(f"{BASE}requests/{reports['hidden'].pk}.json"), 404)
    assert_errors(client.get(f"{BASE}requests/999999999.xml"), 404, "xml")
    assert_errors(client.get(f"{BASE}requests/abc.json"), 404)
    body = json.loads(client.get(f"{BASE}tokens/{first.token}.json").content)
    assert body == [{"service_request_id": str(first.pk), "token": str(first.token)}]
    root = parse_xml(client.get(f"{BASE}tokens/{first.token}.xml"), "service_requests")
    assert [child.tag for child in root.find("request")] == ["service_request_id", "token"]
    assert_errors(client.get(f"{BASE}tokens/00000000-0000-0000-0000-000000000000.json"), 404)
    assert_errors(client.get(f"{BASE}tokens/not-a-token.xml"), 404, "xml")


def test_get_requests_query_budget(client, pothole, django_assert_max_num_queries):
    for _ in range(8):
        make_report(category=pothole, answers={"size": "small"})
    with django_assert_max_num_queries(6):
        body = json.loads(client.get(f"{BASE}requests.json", {"extensions": "true"}).content)
    assert len(body) == 8
