import json
from datetime import UTC, datetime

import pytest

from tests.factories import HAEUNDAE, JONGNO, SUWON_PALDAL, CategoryFactory, UserFactory, make_report

pytestmark = pytest.mark.django_db

CORE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"


@pytest.fixture
def reports():
    category = CategoryFactory(code="ogc-test")
    reporter = UserFactory()
    made = []
    for index in range(7):
        at = (JONGNO, HAEUNDAE, SUWON_PALDAL)[index % 3]
        made.append(make_report(category=category, at=at, reporter=reporter, created_at=datetime(2025, 1, 1 + index, 12, tzinfo=UTC)))
    return made


def test_landing_page_links(client):
    data = client.get("/ogc/").json()
    rels = {link["rel"]: link for link in data["links"]}
    assert {"self", "service-desc", "service-doc", "conformance", "data"} <= set(rels)
    assert rels["service-desc"]["type"] == "application/vnd.oai.openapi+json;version=3.0"
    assert rels["data"]["href"].endswith("/ogc/collections")
    assert client.get("/ogc").status_code == 200


def test_conformance(client):
    conforms = client.get("/ogc/conformance").json()["conformsTo"]
    assert CORE in conforms and all(c.rsplit("/", 1)[1] in {"core", "geojson", "html", "oas30"} for c in conforms)
    assert len(conforms) == 4


def test_collections_and_collection(client, reports):
    data = client.get("/ogc/collections").json()
    assert [c["id"] for c in data["collections"]] == ["reports", "local_governments", "provinces"]
    reports_collection = client.get("/ogc/collections/reports").json()
    assert reports_collection["extent"]["temporal"]["interval"][0][0].startswith("2025-01-01")
    assert any(link["rel"] == "items" and link["type"] == "application/geo+json" for link in reports_collection["links"])
    assert client.get("/ogc/collections/nope").status_code == 404


def test_items_paging_follows_next_links(client, reports):
    url = "/ogc/collections/reports/items?limit=3"
    seen, pages = [], 0
    while url:
        response = client.get(url)
        assert response["Content-Type"] == "application/geo+json"
        data = response.json()
        assert data["numberMatched"] == 7 and data["numberReturned"] == len(data["features"])
        assert "timeStamp" in data and "crs" not in data
        seen += [feature["id"] for feature in data["features"]]
        pages += 1
        url = next((link["href"] for link in data["links"] if link["rel"] == "next"), None)
    assert pages == 3 and seen == sorted(r.pk for r in reports)


def test_items_bbox_and_datetime(client, reports):
    def ids(query):
        return {f["id"] for f in client.get("/ogc/collections/reports/items?limit=100&" + query).json()["features"]}

    seoul = {r.pk for r in reports[0::3]}
    assert ids("bbox=126.9,37.5,127.1,37.6") == seoul
    assert ids("bbox=126.9,37.5,0,127.1,37.6,100") == seoul
    assert ids("datetime=2025-01-02") == {reports[1].pk}
    assert ids("datetime=2025-01-02T12:00:00Z") == {reports[1].pk}
    assert ids("datetime=../2025-01-02T00:00:00Z") == {reports[0].pk}
    assert ids("datetime=2025-01-06T00:00:00Z/..") == {reports[5].pk, reports[6].pk}
    assert ids("datetime=2025-01-02/2025-01-03") == {reports[1].pk, reports[2].pk}
    assert ids("status=closed") == set()


@pytest.mark.parametrize("query", ["limit=0", "limit=abc", "bbox=1,2", "datetime=yesterday", "datetime=2025-02-01/2025-01-01",
                                   "cursor=abc", "color=red", "f=xml", "status=nope", "datetime=2025-02-30"])
def test_items_bad_parameters_are_400(client, query):
    response = client.get("/ogc/collections/reports/items?" + query)
    assert response.status_code == 400
    assert response.json()["error"]["code"]


def test_limit_above_maximum_is_clamped(client, reports):
    assert client.get("/ogc/collections/reports/items?limit=20000").json()["numberReturned"] == 7


def test_feature_and_404(client, reports):
    response = client.get(f"/ogc/collections/reports/items/{reports[1].pk}")
    assert response["Content-Type"] == "application/geo+json"
    feature = response.json()
    assert feature["id"] == reports[1].pk and feature["geometry"]["coordinates"] == list(HAEUNDAE)
    assert any(link["rel"] == "collection" for link in feature["links"])
    assert client.get("/ogc/collections/reports/items/999999").status_code == 404
    assert client.get("/ogc/collections/reports/items/abc").status_code == 404
    assert client.get("/ogc/collections/nope/items/1").status_code == 404
    province = client.get("/ogc/collections/provinces/items/11").json()
    assert province["properties"]["name"] == "서울특별시"


def test_area_collections_page_by_code(client):
    data = client.get("/ogc/collections/local_governments/items?limit=100").json()
    assert data["numberMatched"] == 243 and data["numberReturned"] == 100
    next_url = next(link["href"] for link in data["links"] if link["rel"] == "next")
    second = client.get(next_url).json()
    assert second["features"][0]["id"] > data["features"][-1]["id"]
    assert client.get("/ogc/collections/provinces/items?limit=100").json()["numberReturned"] == 17


def test_html_variants(client, reports):
    for url in ("/ogc/?f=html", "/ogc/conformance?f=html", "/ogc/collections?f=html", "/ogc/collections/reports?f=html",
                "/ogc/collections/reports/items?f=html", f"/ogc/collections/reports/items/{reports[0].pk}?f=html", "/ogc/api?f=html"):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/html"), url
    page = client.get("/ogc/collections/reports/items", HTTP_ACCEPT="text/html").content.decode()
    assert "<table" in page and f">{reports[0].pk}<" in page


def test_openapi_document_is_self_contained(client):
    response = client.get("/ogc/api")
    assert response["Content-Type"] == "application/vnd.oai.openapi+json;version=3.0"
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.0")
    assert "/collections/{collectionId}/items" in document["paths"]
    refs = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref":
                    refs.append(value)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
    assert refs and all(ref.startswith("#/components/") for ref in refs)
    for ref in refs:
        section, name = ref.split("/")[2:]
        assert name in document["components"][section]


def test_items_query_count_is_constant(client, reports, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get("/ogc/collections/reports/items?limit=100")


def test_number_matched_is_left_out_above_the_cap(client, reports, monkeypatch):
    from layers import ogc

    monkeypatch.setattr(ogc, "COUNT_CAP", 5)
    data = client.get("/ogc/collections/reports/items?limit=2").json()
    assert "numberMatched" not in data and data["numberReturned"] == 2
    assert any(link["rel"] == "next" for link in data["links"])
    html = client.get("/ogc/collections/reports/items?limit=2&f=html").content.decode()
    assert "5+" in html
    within = client.get("/ogc/collections/reports/items?limit=2&category=ogc-test&bbox=126.9,37.5,127.1,37.7").json()
    assert within["numberMatched"] == 3
