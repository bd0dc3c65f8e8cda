"""Campaign entries as a layer: streamed exports, an OGC API collection per campaign, vector tiles."""

from __future__ import annotations

import csv
import io
import json

import mapbox_vector_tile
import pytest

from campaigns.services import entry_hide
from tests.campaign_factories import JONGNO_POINTS, campaign_organiser, make_campaign, make_entry

pytestmark = pytest.mark.django_db

# The zoom-15 tile holding JONGNO_POINTS[0] (126.9768, 37.5759).
Z15 = (15, 27941, 12688)


def body(response) -> bytes:
    assert response.status_code == 200, response.content[:300] if not response.streaming else response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def campaign(db):
    return make_campaign()


@pytest.fixture
def entries(campaign):
    made = [
        make_entry(campaign, at=JONGNO_POINTS[0], answers={"entrance": "step", "features": ["ramp", "bell"], "width_cm": 85,
                                                             "note": "=1+1 문이 무거워요", "contact": "010-5555-1212"}),
        make_entry(campaign, at=JONGNO_POINTS[1], entry_type="toilet", answers={"entrance": "flat"}),
        make_entry(campaign, at=JONGNO_POINTS[2], answers={"entrance": "flat", "contact": "비공개"}),
    ]
    entry_hide(entry=made[2], actor=campaign_organiser(), reason="개인정보가 보여요")
    return made


# --- exports -------------------------------------------------------------------------------------


def test_geojson_export_public_entries_and_answers(client, campaign, entries):
    response = client.get(f"/exports/campaigns/{campaign.slug}/entries.geojson")
    assert response["Content-Type"] == "application/geo+json" and "attachment" in response["Content-Disposition"]
    data = json.loads(body(response))
    assert data["type"] == "FeatureCollection"
    assert [f["id"] for f in data["features"]] == [entries[0].pk, entries[1].pk]  # not the hidden one
    first = data["features"][0]
    assert first["geometry"] == {"type": "Point", "coordinates": list(JONGNO_POINTS[0])}
    props = first["properties"]
    assert props["entry_type"] == "shop" and props["status"] == "submitted"
    assert props["answers"] == {"entrance": "step", "features": ["ramp", "bell"], "width_cm": 85, "note": "=1+1 문이 무거워요"}
    assert set(props) == {"id", "entry_type", "status", "created_at", "updated_at", "answers"}


def test_ndjson_export_one_feature_a_line(client, campaign, entries):
    response = client.get(f"/exports/campaigns/{campaign.slug}/entries.ndjson")
    assert response["Content-Type"] == "application/x-ndjson"
    lines = body(response).decode().splitlines()
    assert [json.loads(line)["id"] for line in lines] == [entries[0].pk, entries[1].pk]
    assert json.loads(lines[1])["properties"]["answers"] == {"entrance": "flat"}


def test_csv_export_with_bom_answer_columns_and_formula_guard(client, campaign, entries):
    response = client.get(f"/exports/campaigns/{campaign.slug}/entries.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = body(response)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == ["id", "entry_type", "status", "created_at", "updated_at", "lon", "lat",
                             "answer_entrance", "answer_features", "answer_width_cm", "answer_note"]
    assert [int(row["id"]) for row in rows] == [entries[0].pk, entries[1].pk]
    assert rows[0]["answer_features"] == "ramp;bell" and rows[0]["answer_width_cm"] == "85"
    assert rows[0]["answer_note"] == "'=1+1 문이 무거워요"  # a spreadsheet shows it, runs nothing
    assert (float(rows[0]["lon"]), float(rows[0]["lat"])) == JONGNO_POINTS[0]
    assert rows[1]["answer_note"] == ""


def test_exports_narrow_to_public_fields_and_refuse_private_ones(client, campaign, entries):
    narrowed = json.loads(body(client.get(f"/exports/campaigns/{campaign.slug}/entries.geojson?fields=note,entrance")))
    assert narrowed["features"][0]["properties"]["answers"] == {"entrance": "step", "note": "=1+1 문이 무거워요"}
    header = body(client.get(f"/exports/campaigns/{campaign.slug}/entries.csv?fields=width_cm")).decode("utf-8-sig").splitlines()[0]
    assert header.endswith(",lat,answer_width_cm")
    for fmt in ("geojson", "csv", "ndjson"):
        response = client.get(f"/exports/campaigns/{campaign.slug}/entries.{fmt}?fields=entrance,contact")
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["code"] == "private_field" and "contact" in error["message"] and "fields" in error["fields"]
    response = client.get(f"/exports/campaigns/{campaign.slug}/entries.csv?fields=nope")
    assert response.status_code == 400 and response.json()["error"]["code"] == "unknown_field"
    response = client.get(f"/exports/campaigns/{campaign.slug}/entries.csv?color=red")
    assert response.status_code == 400 and response.json()["error"]["code"] == "unknown_parameter"
    response = client.get("/exports/campaigns/nope/entries.geojson")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_private_messages_are_korean_by_default_and_english_on_request(client, campaign, entries):
    korean = client.get(f"/exports/campaigns/{campaign.slug}/entries.csv?fields=contact").json()["error"]["message"]
    english = client.get(f"/exports/campaigns/{campaign.slug}/entries.csv?fields=contact", HTTP_ACCEPT_LANGUAGE="en").json()["error"]["message"]
    assert "비공개" in korean and "private" in english


def test_empty_campaign_exports_are_valid(client, campaign):
    assert json.loads(body(client.get(f"/exports/campaigns/{campaign.slug}/entries.geojson"))) == {"type": "FeatureCollection", "features": []}
    assert body(client.get(f"/exports/campaigns/{campaign.slug}/entries.ndjson")) == b""


# --- OGC API - Features -----------------------------------------------------------------------------


def test_collection_is_listed_and_described(client, campaign, entries):
    collections = client.get("/ogc/collections").json()["collections"]
    ids = [c["id"] for c in collections]
    assert ids[:3] == ["reports", "local_governments", "provinces"] and f"campaign-{campaign.slug}" in ids
    described = client.get(f"/ogc/collections/campaign-{campaign.slug}").json()
    assert described["title"] == campaign.title and described["itemType"] == "feature"
    min_lon, min_lat, max_lon, max_lat = described["extent"]["spatial"]["bbox"][0]
    assert min_lon < JONGNO_POINTS[0][0] < max_lon and min_lat < JONGNO_POINTS[0][1] < max_lat
    assert any(link["rel"] == "items" and link["type"] == "application/geo+json" for link in described["links"])
    assert client.get("/ogc/collections/campaign-nope").status_code == 404
    assert f"campaign-{campaign.slug}" in client.get("/ogc/api").json()["paths"]["/collections/{collectionId}/items"]["get"]["description"]


def test_items_page_by_limit_offset_and_next_links(client, campaign):
    made = [make_entry(campaign, at=JONGNO_POINTS[i]) for i in range(7)]
    url = f"/ogc/collections/campaign-{campaign.slug}/items?limit=3"
    seen = []
    while url:
        data = client.get(url).json()
        assert data["numberMatched"] == 7 and data["numberReturned"] == len(data["features"])
        seen += [f["id"] for f in data["features"]]
        url = next((link["href"] for link in data["links"] if link["rel"] == "next"), None)
    assert seen == [e.pk for e in made]
    offset = client.get(f"/ogc/collections/campaign-{campaign.slug}/items?limit=2&offset=4").json()
    assert [f["id"] for f in offset["features"]] == [made[4].pk, made[5].pk]
    following = client.get(next(link["href"] for link in offset["links"] if link["rel"] == "next")).json()
    assert [f["id"] for f in following["features"]] == [made[6].pk]


def test_items_bbox_and_properties(client, campaign, entries):
    base = f"/ogc/collections/campaign-{campaign.slug}/items"
    lon, lat = JONGNO_POINTS[1]
    data = client.get(f"{base}?bbox={lon - 0.0001},{lat - 0.0001},{lon + 0.0001},{lat + 0.0001}").json()
    assert [f["id"] for f in data["features"]] == [entries[1].pk]
    data = client.get(f"{base}?properties=width_cm").json()
    assert data["features"][0]["properties"]["answers"] == {"width_cm": 85}
    for query, code in (("properties=contact", "private_field"), ("properties=nope", "unknown_field"), ("offset=-1", "invalid_parameter"),
                        ("category=x", "unknown_parameter"), ("cursor=abc", "invalid_cursor")):
        response = client.get(f"{base}?{query}")
        assert response.status_code == 400 and response.json()["error"]["code"] == code, query


def test_item_and_html(client, campaign, entries):
    base = f"/ogc/collections/campaign-{campaign.slug}/items"
    feature = client.get(f"{base}/{entries[0].pk}").json()
    assert feature["id"] == entries[0].pk and "contact" not in feature["properties"]["answers"]
    assert client.get(f"{base}/{entries[2].pk}").status_code == 404  # hidden
    assert client.get(f"{base}/abc").status_code == 404
    assert client.get(f"{base}/{entries[0].pk}?properties=contact").status_code == 400
    page = client.get(f"{base}?f=html").content.decode()
    assert "<table" in page and f">{entries[0].pk}<" in page and "010-5555-1212" not in page
    assert client.get(f"{base}/{entries[0].pk}?f=html").status_code == 200


# --- vector tiles ----------------------------------------------------------------------------------


def tile(client, campaign, zxy, query="", **headers):
    z, x, y = zxy
    return client.get(f"/tiles/campaigns/{campaign.slug}/{z}/{x}/{y}.mvt{query}", **headers)


def test_tile_has_public_properties_only_and_an_etag(client, campaign, entries):
    response = tile(client, campaign, Z15)
    assert response.status_code == 200 and response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    features = mapbox_vector_tile.decode(response.content)["entries"]["features"]
    by_id = {f["properties"]["id"]: f["properties"] for f in features}
    assert set(by_id) == {entries[0].pk, entries[1].pk}
    assert {f["id"] for f in features} == set(by_id)
    first = by_id[entries[0].pk]
    assert first["entry_type"] == "shop" and first["status"] == "submitted" and first["entrance"] == "step"
    assert first["width_cm"] == 85 and first["features"] == "ramp;bell" and "contact" not in first
    assert b"010-5555-1212" not in response.content
    again = tile(client, campaign, Z15, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again["ETag"] == response["ETag"]
    narrowed = mapbox_vector_tile.decode(tile(client, campaign, Z15, "?fields=note").content)["entries"]["features"]
    assert {key for f in narrowed for key in f["properties"]} <= {"id", "entry_type", "status", "note"}


def test_tile_errors_and_empty_tiles(client, campaign, entries):
    assert tile(client, campaign, (15, 0, 0)).status_code == 204
    assert tile(client, campaign, (3, 8, 0)).status_code == 404
    response = tile(client, campaign, Z15, "?fields=contact")
    assert response.status_code == 400 and response.json()["error"]["code"] == "private_field"
    assert tile(client, campaign, Z15, "?status=open").status_code == 400
    assert client.get("/tiles/campaigns/nope/15/27941/12688.mvt").status_code == 404
