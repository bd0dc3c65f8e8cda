"""What the home map needs from the server: place search, popups, legend text, English addresses."""

import json
import re

import pytest

from tests.factories import JONGNO, CategoryFactory, make_report

pytestmark = pytest.mark.django_db

SUWON_JANGAN = (127.0102, 37.3035)


def test_place_search_answers_kinds_in_one_query(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        data = client.get("/map/places.json", {"q": "종로 구"}).json()
    first = data["results"][0]
    assert first["name"] == "종로구" and first["kind"] == "local_government"
    assert first["label"] == "종로구 (서울특별시)"
    assert {"code", "name", "name_en", "local_government", "lon", "lat", "kind", "label"} <= set(first)
    kinds = {place["kind"] for place in client.get("/map/places.json", {"q": "청운"}).json()["results"]}
    assert kinds == {"submunicipal"}


def test_place_search_in_english_shows_romanized_labels(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    first = client.get("/map/places.json", {"q": "jongno"}).json()["results"][0]
    assert first["label"] == "Jongno-gu (Seoul)"


def test_a_street_address_gets_a_hint_not_a_guess(client):
    data = client.get("/map/places.json", {"q": "세종대로 175"}).json()
    assert data["results"] == [] and "읍면동" in data["hint"]


def test_points_carry_what_the_popup_shows(client):
    category = CategoryFactory(code="light", name="가로등 고장", name_en="Broken street light")
    report = make_report(category=category, at=JONGNO)
    data = client.get("/map/reports.json", {"bbox": "126.9,37.5,127.1,37.7", "zoom": 15}).json()
    point = data["features"][0]
    assert point["id"] == report.pk and point["category_name"] == "가로등 고장"
    assert point["address"] == report.address and re.fullmatch(r"\d{4}-\d{2}-\d{2}", point["created_at"])
    assert "@" not in json.dumps(data)  # no reporter's email in what the map reads


def test_english_pages_show_romanized_addresses(client):
    category = CategoryFactory(name_en="Pothole")
    jongno = make_report(category=category, at=JONGNO)
    suwon = make_report(category=category, at=SUWON_JANGAN)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    data = client.get("/map/reports.json", {"bbox": "126.5,37.0,127.5,38.0", "zoom": 15}).json()
    addresses = {point["id"]: point["address"] for point in data["features"]}
    assert addresses[jongno.pk].endswith("Jongno-gu, Seoul") and addresses[jongno.pk].count(",") == 2
    assert addresses[suwon.pk].endswith("Jangan-gu, Suwon-si, Gyeonggi-do")
    listed = {item["id"]: item["address"] for item in data["list"]}
    assert listed == addresses
    page = client.get(f"/reports/{jongno.pk}/").content.decode()
    assert addresses[jongno.pk] in page and jongno.address not in page
    assert "Jongno-gu, Seoul" in client.get("/areas/11010/").content.decode()


def test_map_pages_carry_the_legend_and_leaflet_words_in_korean(client):
    html = client.get("/").content.decode()
    text = json.loads(re.search(r'<script id="map-text" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert text["zoomIn"] == "확대" and text["zoomOut"] == "축소"
    assert [s["code"] for s in text["statuses"]] == ["submitted", "acknowledged", "in_progress", "closed"]
    assert all(s["label"] and s["colour"].startswith("#") for s in text["statuses"])
    assert 'id="home-place-query"' in html and 'id="near-me"' in html
    assert "Leaflet.VectorGrid.bundled.min.js" in html


def test_nearby_counts_read_naturally(client):
    category = CategoryFactory(code="pothole")
    make_report(category=category, at=JONGNO)
    result = client.get("/map/nearby.json", {"lon": JONGNO[0], "lat": JONGNO[1], "category": "pothole"}).json()["results"][0]
    assert result["support_label"] == "공감 0명"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    result = client.get("/map/nearby.json", {"lon": JONGNO[0], "lat": JONGNO[1], "category": "pothole"}).json()["results"][0]
    assert result["support_label"] == "0 supporters"
