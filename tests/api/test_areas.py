"""The areas API: point lookup, lists and GeoJSON detail, every response checked against the OpenAPI schema."""

import copy
from urllib.parse import urlencode

import pytest

from geodata.models import Area
from tests.api.openapi import assert_matches_schema, openapi_schema, schema_errors

pytestmark = pytest.mark.django_db

LOOKUP = "/api/v1/areas/lookup"
AREA_REF_KEYS = {"code", "name", "name_en"}


def lookup(client, headers=None, **params):
    return client.get(f"{LOOKUP}?{urlencode(params)}", headers=headers)


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = assert_matches_schema(response)
    assert body["error"]["code"] == code
    assert body["error"]["message"].strip()
    return body["error"]


# --- lookup --------------------------------------------------------------------------------


def test_lookup_of_a_district_of_a_city(client):
    response = lookup(client, lat=37.2816, lon=127.0138)  # 화성행궁

    assert response.status_code == 200
    assert assert_matches_schema(response) == {
        "province": {"code": "31", "name": "경기도", "name_en": "Gyeonggi-do"},
        "local_government": {"code": "31010", "name": "수원시", "name_en": "Suwon-si"},
        "municipal_unit": {"code": "31013", "name": "수원시팔달구", "name_en": "Suwonsipaldalgu"},
        "submunicipal_unit": {"code": "3101372", "name": "행궁동", "name_en": "Haenggungdong"},
        "address": "경기도 수원시 팔달구 행궁동",
    }


@pytest.mark.parametrize(
    ("lat", "lon", "government", "unit", "address_start"),
    [
        (37.5759, 126.9768, "11010", "11010", "서울특별시 종로구 "),
        (35.1587, 129.1604, "21090", "21090", "부산광역시 해운대구 "),
        (36.4800, 127.2890, "29", "29010", "세종특별자치시 "),
        (33.4996, 126.5312, "39", "39010", "제주특별자치도 제주시 "),
        (36.0190, 129.3435, "37010", "37011", "경상북도 포항시 남구 "),
    ],
)
def test_lookup_body_shape(client, lat, lon, government, unit, address_start):
    body = assert_matches_schema(lookup(client, lat=lat, lon=lon))

    assert set(body) == {"province", "local_government", "municipal_unit", "submunicipal_unit", "address"}
    for key in ("province", "local_government", "municipal_unit", "submunicipal_unit"):
        assert set(body[key]) == AREA_REF_KEYS
        assert all(isinstance(value, str) and value for value in body[key].values())
    assert body["local_government"]["code"] == government
    assert body["municipal_unit"]["code"] == unit
    assert body["province"]["code"] == unit[:2]
    assert body["submunicipal_unit"]["code"][:5] == unit
    assert body["address"].startswith(address_start)
    assert body["address"].endswith(body["submunicipal_unit"]["name"])


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(35.5, 129.6), (39.03, 125.75), (35.69, 139.69), (-33.86, 151.21)],
    ids=["sea east of Ulsan", "Pyongyang", "Tokyo", "Sydney"],
)
def test_lookup_outside_the_service_area(client, lat, lon):
    error = assert_error(lookup(client, lat=lat, lon=lon), 404, "outside_service_area")
    assert "fields" not in error


@pytest.mark.parametrize(
    ("params", "code", "field"),
    [
        ({"lon": "127"}, "missing_parameter", None),
        ({"lat": "37.5"}, "missing_parameter", None),
        ({}, "missing_parameter", None),
        ({"lat": "abc", "lon": "127"}, "invalid_parameter", "lat"),
        ({"lat": "37.5", "lon": "12e"}, "invalid_parameter", "lon"),
        ({"lat": "91", "lon": "127"}, "invalid_parameter", "lat"),
        ({"lat": "-90.0001", "lon": "127"}, "invalid_parameter", "lat"),
        ({"lat": "37.5", "lon": "-181"}, "invalid_parameter", "lon"),
        ({"lat": "37.5", "lon": "180.5"}, "invalid_parameter", "lon"),
        ({"lat": "NaN", "lon": "127"}, "invalid_parameter", "lat"),
        ({"lat": "37.5", "lon": "nan"}, "invalid_parameter", "lon"),
        ({"lat": "inf", "lon": "127"}, "invalid_parameter", "lat"),
        ({"lat": "37.5", "lon": "-Infinity"}, "invalid_parameter", "lon"),
        ({"lat": "1e400", "lon": "127"}, "invalid_parameter", "lat"),
        ({"lat": "", "lon": ""}, "invalid_parameter", "lat"),
        ({"lat": "37.5", "lon": ""}, "invalid_parameter", "lon"),
        ({"lat": "37,5", "lon": "127"}, "invalid_parameter", "lat"),
    ],
)
def test_lookup_rejects_bad_parameters(client, params, code, field):
    error = assert_error(lookup(client, **params), 400, code)
    if field:
        assert field in error["fields"]
        assert error["message"].startswith(f"{field}: ")
        assert all(isinstance(message, str) for message in error["fields"][field])


def test_error_messages_follow_the_request_language(client):
    english = lookup(client, lon="127", headers={"Accept-Language": "en"})
    assert assert_error(english, 400, "missing_parameter")["message"] == "Give both lat and lon (WGS84 decimal degrees)."
    korean = lookup(client, lon="127", headers={"Accept-Language": "ko"})
    assert assert_error(korean, 400, "missing_parameter")["message"] != english.json()["error"]["message"]


def test_lookup_accepts_only_get(client):
    response = client.post(LOOKUP, {"lat": 37.5, "lon": 127})
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


# --- lists ---------------------------------------------------------------------------------


def test_list_of_provinces(client):
    body = assert_matches_schema(client.get("/api/v1/areas/?level=province"))

    assert body["count"] == 17
    assert body["next"] is None and body["previous"] is None
    assert [area["code"] for area in body["results"]] == [
        "11", "21", "22", "23", "24", "25", "26", "29", "31", "32", "33", "34", "35", "36", "37", "38", "39"
    ]
    assert body["results"][0] == {
        "code": "11", "name": "서울특별시", "name_en": "Seoul", "level": "province",
        "is_local_government": True, "parent": None, "local_government": "11",
    }


def test_list_filtered_by_parent(client):
    body = assert_matches_schema(client.get("/api/v1/areas/?parent=31"))

    # 경기도's 31 시군 (2018): its cities with districts and the units that are governments themselves.
    assert body["count"] == 31
    assert {area["parent"] for area in body["results"]} == {"31"}
    assert {area["local_government"] for area in body["results"]} == {area["code"] for area in body["results"]}
    assert "31010" in {area["code"] for area in body["results"]}

    suwon = assert_matches_schema(client.get("/api/v1/areas/?parent=31010"))
    assert [(a["code"], a["local_government"], a["is_local_government"]) for a in suwon["results"]] == [
        ("31011", "31010", False), ("31012", "31010", False), ("31013", "31010", False), ("31014", "31010", False),
    ]


def test_list_of_local_governments_is_paginated(client):
    expected = set(Area.objects.current().local_governments().values_list("code", flat=True))
    assert len(expected) == 243
    url, seen, pages = "/api/v1/areas/?local_government=true&limit=100", [], 0
    while url:
        body = assert_matches_schema(client.get(url))
        assert body["count"] == 243
        assert all(area["is_local_government"] and area["local_government"] == area["code"] for area in body["results"])
        seen += [area["code"] for area in body["results"]]
        url, pages = body["next"], pages + 1
    assert pages == 3
    assert len(seen) == len(set(seen)) == 243
    assert set(seen) == expected
    assert seen == sorted(seen)


def test_list_defaults_to_pages_of_300(client):
    body = assert_matches_schema(client.get("/api/v1/areas/"))
    assert body["count"] == 17 + 11 + 250 + 3504
    assert len(body["results"]) == 300
    assert "offset=300" in body["next"]


@pytest.mark.parametrize("query", ["level=bogus", "local_government=maybe", f"parent={'1' * 11}"])
def test_list_rejects_bad_filters(client, query):
    error = assert_error(client.get(f"/api/v1/areas/?{query}"), 400, "invalid_parameter")
    assert query.split("=")[0] in error["fields"]


# --- detail --------------------------------------------------------------------------------


def _signed_area(ring: list[list[float]]) -> float:
    """Shoelace: positive for a counter-clockwise ring."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)) / 2


def _coordinate_count(geometry: dict) -> int:
    return sum(len(ring) for polygon in geometry["coordinates"] for ring in polygon)


def test_detail_is_a_geojson_feature_with_rfc7946_winding(client):
    body = assert_matches_schema(client.get("/api/v1/areas/11010/"))

    assert body["type"] == "Feature"
    assert body["id"] == "11010"
    assert body["properties"] == {
        "code": "11010", "name": "종로구", "name_en": "Jongno-gu", "level": "municipal",
        "is_local_government": True, "parent": "11", "local_government": "11010",
    }
    geometry = body["geometry"]
    assert geometry["type"] == "MultiPolygon"
    first_ring = geometry["coordinates"][0][0]
    assert first_ring[0] == first_ring[-1]
    assert _signed_area(first_ring) > 0  # counter-clockwise exterior
    for polygon in geometry["coordinates"]:
        assert _signed_area(polygon[0]) > 0
        assert all(_signed_area(hole) < 0 for hole in polygon[1:])  # clockwise holes
    xs = [x for polygon in geometry["coordinates"] for ring in polygon for x, _y in ring]
    ys = [y for polygon in geometry["coordinates"] for ring in polygon for _x, y in ring]
    assert 126.9 < min(xs) < max(xs) < 127.1 and 37.5 < min(ys) < max(ys) < 37.7
    assert all(len(f"{x}".split(".")[-1]) <= 6 for x in xs[:200])  # at most 6 decimals


def test_detail_of_a_city_is_the_union_of_its_districts(client):
    body = assert_matches_schema(client.get("/api/v1/areas/31010/"))
    assert (body["properties"]["level"], body["properties"]["parent"]) == ("city", "31")
    assert body["geometry"]["type"] == "MultiPolygon"


def test_detail_simplified(client):
    full = assert_matches_schema(client.get("/api/v1/areas/11010/"))
    simplified = assert_matches_schema(client.get("/api/v1/areas/11010/?simplify=0.01"))

    assert _coordinate_count(simplified["geometry"]) < _coordinate_count(full["geometry"]) / 5
    assert simplified["geometry"]["type"] == "MultiPolygon"
    assert _signed_area(simplified["geometry"]["coordinates"][0][0]) > 0
    assert simplified["properties"] == full["properties"]


def test_detail_of_an_unknown_code(client):
    error = assert_error(client.get("/api/v1/areas/99999/"), 404, "not_found")
    assert "99999" in error["message"]


@pytest.mark.parametrize("simplify", ["abc", "-1", "2", "NaN", "inf", ""])
def test_detail_rejects_a_bad_simplify(client, simplify):
    response = client.get(f"/api/v1/areas/11010/?simplify={simplify}")
    if simplify == "":
        # An empty optional parameter is no parameter.
        assert response.status_code == 200
        assert_matches_schema(response)
        return
    error = assert_error(response, 400, "invalid_parameter")
    assert "simplify" in error["fields"]


# --- the schema itself ---------------------------------------------------------------------


def test_schema_documents_the_error_shape_and_pagination():
    schema = openapi_schema()
    paths = schema["paths"]
    error_ref = {"$ref": "#/components/schemas/ErrorResponse"}
    for path, status in [
        ("/api/v1/areas/lookup", "400"), ("/api/v1/areas/lookup", "404"), ("/api/v1/areas/", "400"),
        ("/api/v1/areas/{code}/", "400"), ("/api/v1/areas/{code}/", "404"),
    ]:
        assert paths[path]["get"]["responses"][status]["content"]["application/json"]["schema"] == error_ref
    error = schema["components"]["schemas"]["ErrorBody"]
    assert error["required"] == ["code", "message"]
    assert set(error["properties"]) == {"code", "message", "fields"}
    assert error["properties"]["fields"]["type"] == "object"
    listing = paths["/api/v1/areas/"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"level", "parent", "local_government", "limit", "offset"}
    page = listing["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][page]["properties"]) == {"count", "next", "previous", "results"}


def test_the_schema_check_catches_a_wrong_body(client):
    good = assert_matches_schema(lookup(client, lat=37.2816, lon=127.0138))
    assert schema_errors("/api/v1/areas/lookup", "get", 200, good) == []

    def broken(change):
        body = copy.deepcopy(good)
        change(body)
        return schema_errors("/api/v1/areas/lookup", "get", 200, body)

    assert broken(lambda b: b.pop("address"))
    assert broken(lambda b: b.update(extra=1))
    assert broken(lambda b: b["province"].update(code=31))
    assert broken(lambda b: b.update(local_government=None))
    assert not broken(lambda b: b.update(submunicipal_unit=None))  # documented as nullable
    error = {"error": {"code": "invalid_parameter", "message": "lat: ..."}}
    assert schema_errors("/api/v1/areas/lookup", "get", 400, error) == []
    assert schema_errors("/api/v1/areas/lookup", "get", 400, {"detail": "Bad"})
    assert schema_errors("/api/v1/areas/lookup", "get", 400, {"error": {"code": "x"}})
