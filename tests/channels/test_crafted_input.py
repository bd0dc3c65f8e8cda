"""Crafted requests that once answered 500 (a probe of a running instance) now answer 4xx in every channel.

Also a property-based sweep (hypothesis) over the public GET parameters of the web map JSON, REST,
Open311, OGC API, exports and tiles: whatever the values, never a 5xx.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clients.services import api_client_create, api_key_create
from tests.factories import make_report

pytestmark = pytest.mark.django_db

REPLAYED = [
    # str.isdigit() accepts "²"; int() then failed
    "/api/v1/reports/%C2%B2/",
    "/open311/v2/requests/%C2%B2.json",
    "/ogc/collections/reports/items/%C2%B2",
    "/open311/v2/requests.json?service_request_id=%C2%B2",
    # a UTC offset beyond ±15:59 reached PostgreSQL
    "/api/v1/reports/?start=2026-05-01T10:00:00%2B23:59",
    "/exports/reports.geojson?start=2026-05-01T10:00:00%2B23:59",
    "/map/reports.json?start=2026-05-01T10:00:00%2B23:59",
    "/open311/v2/requests.json?start_date=2026-05-01T10:00:00%2B23:59",
    "/ogc/collections/reports/items?datetime=2026-05-01T10:00:00%2B23:59/..",
    # the 90-day window after this date overflowed
    "/open311/v2/requests.json?start_date=9999-12-31T23:59:59",
    # numbers of more than 4,300 digits
    "/open311/v2/requests.json?page=" + "9" * 5000,
    "/map/reports.json?zoom=" + "9" * 5000,
    "/ogc/collections/reports/items?limit=" + "9" * 5000,
    # OGC cursors beyond 64 bits
    "/ogc/collections/reports/items?cursor=" + "9" * 30,
    # NUL bytes
    "/open311/v2/requests.json?jurisdiction_id=11010%00",
    "/ogc/collections/reports/items?cursor=1%00",
    "/map/places.json?q=%EC%A2%85%00",
    "/areas/%00/",
    "/api/v1/areas/%00/",
    "/reports/1%00/",
]


@pytest.mark.parametrize("url", REPLAYED)
def test_a_crafted_request_is_a_client_error(client, url):
    response = client.get(url)
    assert 400 <= response.status_code < 500, (url, response.status_code, response.content[:300])


def test_json_nested_5000_deep_is_a_400(client):
    _key, raw = api_key_create(client=api_client_create(name="nesting"), scopes=["read", "submit"])
    body = "[" * 5000 + "]" * 5000
    response = client.post("/api/v1/reports/", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 400
    deep_answers = json.dumps({"category": "pothole", "lon": 126.97, "lat": 37.57, "description": "x"})[:-1] + ', "answers": ' + "[" * 3000 + "]" * 3000 + "}"
    response = client.post("/api/v1/reports/", deep_answers, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 400


PUBLIC_GETS = {
    "/map/reports.json": ["bbox", "zoom", "category", "status", "start", "end", "local_government"],
    "/api/v1/reports/": ["bbox", "category", "status", "start", "end", "local_government", "page_size", "cursor"],
    "/open311/v2/requests.json": ["service_request_id", "service_code", "start_date", "end_date", "status", "jurisdiction_id", "page", "page_size", "lat", "long", "bbox"],
    "/ogc/collections/reports/items": ["bbox", "datetime", "limit", "cursor", "f", "category", "status"],
    "/exports/reports.geojson": ["bbox", "category", "status", "start", "end", "local_government"],
    "/exports/local_governments.geojson": ["simplify", "status", "bbox"],
    "/map/places.json": ["q"],
}
# Values shaped like the ones that broke things: Unicode digits, huge numbers, odd dates and offsets.
VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["²", "-1", "0", "1e309", "nan", "inf", "9" * 5000, "2026-05-01T10:00:00+23:59", "9999-12-31T23:59:59",
                     "0000-00-00", "1,2,3,4", "-180,-90,180,90", "open,closed", "../..", "2026-01-01/..", "\x00", "%00"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_public_get_parameters_never_give_a_5xx(client, data):
    url = data.draw(st.sampled_from(sorted(PUBLIC_GETS)))
    names = data.draw(st.lists(st.sampled_from(PUBLIC_GETS[url]), max_size=3, unique=True))
    params = {name: data.draw(VALUES) for name in names}
    response = client.get(url, params)
    assert response.status_code < 500, (url, params, response.status_code, response.content[:300])


def test_tiles_never_give_a_5xx(client):
    make_report()
    for path in ["/tiles/reports/99/1/1.mvt", "/tiles/reports/1/99999999999999999999/1.mvt", "/tiles/reports/-1/0/0.mvt",
                 "/tiles/nope/1/1/1.mvt", "/tiles/reports/15/27935/12698.mvt?status=%C2%B2&category=%00"]:
        assert client.get(path).status_code < 500, path
