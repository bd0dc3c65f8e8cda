"""Our own boundaries as vector tiles, on the real KOSTAT 2018 boundaries."""

import mapbox_vector_tile
import pytest

pytestmark = pytest.mark.django_db

# Tiles over Seoul's Jongno-gu at three zooms (x, y from lon 126.98, lat 37.58).
SEOUL = {7: (109, 49), 12: (3492, 1585), 14: (13970, 6343)}


def decode(data: bytes, _tmp_path=None) -> dict[str, list[dict]]:
    """Layer name -> feature properties."""
    return {name: [f["properties"] for f in layer["features"]] for name, layer in mapbox_vector_tile.decode(data).items()}


def get_tile(client, z):
    x, y = SEOUL[z]
    return client.get(f"/tiles/boundaries/{z}/{x}/{y}.mvt")


def test_zoomed_out_tiles_hold_provinces_governments_and_province_names(client, tmp_path):
    response = get_tile(client, 7)
    assert response.status_code == 200 and response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    layers = decode(response.content, tmp_path)
    assert "서울특별시" in {p["name"] for p in layers["provinces"]}
    assert "종로구" in {p["name"] for p in layers["local_governments"]}
    assert "submunicipal" not in layers
    labels = {p["name"]: p for p in layers.get("labels", [])}
    assert labels["서울특별시"]["name_en"] == "Seoul" and labels["서울특별시"]["kind"] == "province"
    assert "종로구" not in labels  # government names from zoom 9


def test_zoomed_in_tiles_add_읍면동_with_their_names(client, tmp_path):
    layers = decode(get_tile(client, 14).content, tmp_path)
    dongs = {p["name"] for p in layers["submunicipal"]}
    assert "청운효자동" in dongs or "사직동" in dongs
    assert {p["kind"] for p in layers["labels"]} == {"submunicipal"}
    assert {p["name"] for p in layers["labels"]} <= dongs


def test_labels_are_in_one_tile_only(client, tmp_path):
    x, y = SEOUL[12]
    seen: dict[str, int] = {}
    for dx in (0, 1):
        for dy in (0, 1):
            response = client.get(f"/tiles/boundaries/12/{x + dx}/{y + dy}.mvt")
            for label in decode(response.content, tmp_path).get("labels", []):
                seen[label["code"]] = seen.get(label["code"], 0) + 1
    assert seen and max(seen.values()) == 1


def test_tiles_have_an_etag_and_answer_304(client):
    first = get_tile(client, 12)
    again = client.get(first.wsgi_request.path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"]


def test_empty_sea_tile_and_bad_coordinates(client):
    assert client.get("/tiles/boundaries/10/0/0.mvt").status_code == 204
    assert client.get("/tiles/boundaries/3/8/0.mvt").status_code == 404
