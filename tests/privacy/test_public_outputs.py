"""Reporter privacy across every public output.

Reports, comments and supports carrying canary emails, phones, names, a device id and a
sensitive report's exact point are filed through the real channels (tests/privacy/conftest.py).
Then every public output — map pages and JSON, the duplicates check, feeds, every export, OGC
API - Features, vector tiles at every kind of zoom, Open311 and REST without a key and with a
non-staff key — is fetched, decoded (JSON re-dumped unescaped, HTML unescaped, URLs unquoted,
tiles decoded) and searched. Each output must also show the reports it is meant to show, so an
empty or broken response cannot pass, and must place the sensitive report at its public point.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote
from xml.etree import ElementTree as ET

import mapbox_vector_tile
import pytest

from tests.factories import JONGNO

from .conftest import NEAR_SENSITIVE, SENSITIVE_EXACT, SHOWN_COMMENT_NAME, SHOWN_REPORTER_NAME, World

pytestmark = pytest.mark.django_db

KOREA_BBOX = "124,33,132,39"
TILE_EXTENT = 4096


@dataclass
class Output:
    text: str  # everything the reader receives, in every decoded form
    ids: set[int]  # the reports it shows
    points: dict[int, tuple[float, float]] = field(default_factory=dict)  # lon/lat it publishes per report


def _body(response) -> bytes:
    assert response.status_code == 200, (response.status_code, response.content[:500] if not response.streaming else "")
    return b"".join(response.streaming_content) if response.streaming else response.content


def _decoded(raw: bytes) -> str:
    text = raw.decode("utf-8-sig")
    return "\n".join({text, html.unescape(text), unquote(text)})


def _json(response) -> tuple[object, str]:
    raw = _body(response)
    data = json.loads(raw)
    return data, _decoded(raw) + json.dumps(data, ensure_ascii=False)


def _page(response) -> Output:
    text = _decoded(_body(response))
    return Output(text, {int(n) for n in re.findall(r"/reports/(\d+)/", text)})


def _features(features: list[dict]) -> Output:
    ids = {f["id"] for f in features}
    points = {f["id"]: tuple(f["geometry"]["coordinates"]) for f in features if f.get("geometry")}
    return Output("", ids, points)


# --- the outputs -------------------------------------------------------------------------------
# Each takes (client, world, headers) and returns what a reader of it gets.


def home(client, world, headers):
    return _page(client.get("/"))


def map_json(zoom: int, bbox: str | None = None):
    def fetch(client, world, headers):
        params = {"zoom": zoom, **({"bbox": bbox} if bbox else {})}
        data, text = _json(client.get("/map/reports.json", params))
        output = Output(text, {item["id"] for item in data["list"]})
        if data["mode"] == "points":
            output.points = {f["id"]: (f["lon"], f["lat"]) for f in data["features"]}
        else:
            # The sensitive report is alone in Busan: its cell's point is its own public point.
            busan = [f for f in data["features"] if f["lon"] > 128]
            assert [f["count"] for f in busan] == [1]
            output.points = {world.sensitive.pk: (busan[0]["lon"], busan[0]["lat"])}
            assert sum(f["count"] for f in data["features"]) == 5
        return output
    return fetch


def nearby(at: tuple[float, float], category_attr: str):
    def fetch(client, world, headers):
        data, text = _json(client.get("/map/nearby.json", {"lon": at[0], "lat": at[1], "category": getattr(world, category_attr)}))
        return Output(text, {item["id"] for item in data["results"]})
    return fetch


def report_page(attr: str):
    def fetch(client, world, headers):
        report = getattr(world, attr)
        raw = _body(client.get(f"/reports/{report.pk}/"))
        text = _decoded(raw)
        assert report.description in text
        lat = json.loads(re.search(rb'id="report-lat" type="application/json">([^<]+)<', raw).group(1))
        lon = json.loads(re.search(rb'id="report-lon" type="application/json">([^<]+)<', raw).group(1))
        return Output(text, {report.pk}, {report.pk: (lon, lat)})
    return fetch


def area_page(code: str):
    def fetch(client, world, headers):
        return _page(client.get(f"/areas/{code}/"))
    return fetch


def feed(path: str, params: dict | None = None):
    def fetch(client, world, headers):
        raw = _body(client.get(path, params or {}))
        root = ET.fromstring(raw)
        links = [link.get("href") for link in root.iter("{http://www.w3.org/2005/Atom}link")]
        return Output(_decoded(raw), {int(m.group(1)) for link in links if (m := re.search(r"/reports/(\d+)/", link or ""))})
    return fetch


def export_geojson(client, world, headers):
    data, text = _json(client.get("/exports/reports.geojson"))
    output = _features(data["features"])
    output.text = text
    return output


def export_lines(fmt: str):
    def fetch(client, world, headers):
        raw = _body(client.get(f"/exports/reports.{fmt}"))
        lines = [line.lstrip("\x1e") for line in raw.decode("utf-8").splitlines() if line.strip("\x1e ")]
        features = [json.loads(line) for line in lines]
        output = _features(features)
        output.text = _decoded(raw) + json.dumps(features, ensure_ascii=False)
        return output
    return fetch


def export_csv(client, world, headers):
    raw = _body(client.get("/exports/reports.csv"))
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    return Output(
        _decoded(raw), {int(row["id"]) for row in rows}, {int(row["id"]): (float(row["lon"]), float(row["lat"])) for row in rows}
    )


def export_local_governments(client, world, headers):
    data, text = _json(client.get("/exports/local_governments.geojson", {"simplify": "0.01"}))
    counts = {f["properties"]["code"]: f["properties"]["report_count"] for f in data["features"]}
    assert counts["11010"] == 4 and counts["21090"] == 1
    # An aggregate: the counts above are how it shows the reports.
    return Output(text, {report.pk for report in world.reports})


def printable_map(code: str):
    def fetch(client, world, headers):
        raw = _body(client.get(f"/exports/local_governments/{code}/map.html"))
        text = _decoded(raw)
        markers = [(float(lon), float(lat)) for lat, lon in re.findall(r"L\.circleMarker\(\s*\[([-\d.]+),\s*([-\d.]+)\]", text)]
        ids = [int(n) for n in re.findall(r"#(\d+) ", text)]
        assert len(markers) == len(ids)  # one tooltip per marker, in the same order
        return Output(text, set(ids), dict(zip(ids, markers, strict=True)))
    return fetch


def ogc_items(fmt: str):
    def fetch(client, world, headers):
        response = client.get("/ogc/collections/reports/items", {"f": fmt, "limit": 100})
        if fmt == "html":
            return _page_ogc(response)
        data, text = _json(response)
        output = _features(data["features"])
        output.text = text
        return output
    return fetch


def ogc_item(attr: str, fmt: str):
    def fetch(client, world, headers):
        report = getattr(world, attr)
        response = client.get(f"/ogc/collections/reports/items/{report.pk}", {"f": fmt})
        if fmt == "html":
            output = _page_ogc(response)
            assert report.description in output.text
            return Output(output.text, {report.pk})
        data, text = _json(response)
        output = _features([data])
        output.text = text
        return output
    return fetch


def _page_ogc(response) -> Output:
    text = _decoded(_body(response))
    return Output(text, {int(n) for n in re.findall(r"/ogc/collections/reports/items/(\d+)", text)})


def open311(path: str, fmt: str, extensions: bool = False):
    def fetch(client, world, headers):
        params = dict(headers.get("params", {}))
        if extensions:
            params["extensions"] = "true"
        url = f"/open311/v2/{path.format(sensitive=world.sensitive.pk)}.{fmt}"
        response = client.get(url, params)
        if fmt == "xml":
            raw = _body(response)
            requests = ET.fromstring(raw).findall("request")
            return Output(
                _decoded(raw), {int(r.findtext("service_request_id")) for r in requests},
                {int(r.findtext("service_request_id")): (float(r.findtext("long")), float(r.findtext("lat"))) for r in requests},
            )
        data, text = _json(response)
        return Output(
            text, {int(r["service_request_id"]) for r in data}, {int(r["service_request_id"]): (r["long"], r["lat"]) for r in data}
        )
    return fetch


def rest(path: str):
    def fetch(client, world, headers):
        url = "/api/v1/" + path.format(sensitive=world.sensitive.pk, named=world.signed_in_named.pk, commented=world.web_anonymous.pk)
        data, text = _json(client.get(url, **headers.get("http", {})))
        if path.endswith("comments/"):
            comments = data["results"] if isinstance(data, dict) else data
            assert len(comments) == 2
            return Output(text, {world.web_anonymous.pk})
        items = data["results"] if "results" in data else [data]
        return Output(text, {item["id"] for item in items}, {item["id"]: (item["lon"], item["lat"]) for item in items})
    return fetch


OUTPUTS: dict[str, tuple[Callable, Callable[[World], set[int]]]] = {
    # (fetch, the reports it must show)
    "page-home": (home, lambda w: {r.pk for r in w.reports}),
    "map-json-z7-grid": (map_json(7), lambda w: {r.pk for r in w.reports}),
    "map-json-z11-grid": (map_json(11), lambda w: {r.pk for r in w.reports}),
    "map-json-z15-points": (map_json(15, KOREA_BBOX), lambda w: {r.pk for r in w.reports}),
    "nearby-sensitive": (nearby(NEAR_SENSITIVE, "sensitive_category"), lambda w: {w.sensitive.pk}),
    "nearby-normal": (nearby(JONGNO, "normal_category"), lambda w: {r.pk for r in w.seoul_reports}),
    "page-report-sensitive": (report_page("sensitive"), lambda w: {w.sensitive.pk}),
    "page-report-web-anonymous": (report_page("web_anonymous"), lambda w: {w.web_anonymous.pk}),
    "page-report-rest": (report_page("rest"), lambda w: {w.rest.pk}),
    "page-report-signed-in-hidden": (report_page("signed_in_hidden"), lambda w: {w.signed_in_hidden.pk}),
    "page-report-signed-in-named": (report_page("signed_in_named"), lambda w: {w.signed_in_named.pk}),
    "page-area-11010": (area_page("11010"), lambda w: {r.pk for r in w.seoul_reports}),
    "page-area-21090": (area_page("21090"), lambda w: {w.sensitive.pk}),
    "feed-area-11010": (feed("/alerts/feeds/area/11010.atom"), lambda w: {r.pk for r in w.seoul_reports}),
    "feed-area-21090": (feed("/alerts/feeds/area/21090.atom"), lambda w: {w.sensitive.pk}),
    "feed-near-busan": (feed("/alerts/feeds/near.atom", {"lon": NEAR_SENSITIVE[0], "lat": NEAR_SENSITIVE[1], "radius": 1000}), lambda w: {w.sensitive.pk}),
    "feed-near-seoul": (feed("/alerts/feeds/near.atom", {"lon": JONGNO[0], "lat": JONGNO[1], "radius": 1000}), lambda w: {r.pk for r in w.seoul_reports}),
    "export-geojson": (export_geojson, lambda w: {r.pk for r in w.reports}),
    "export-geojsonseq": (export_lines("geojsonseq"), lambda w: {r.pk for r in w.reports}),
    "export-ndjson": (export_lines("ndjson"), lambda w: {r.pk for r in w.reports}),
    "export-csv": (export_csv, lambda w: {r.pk for r in w.reports}),
    "export-local-governments": (export_local_governments, lambda w: {r.pk for r in w.reports}),
    "export-printable-map-11010": (printable_map("11010"), lambda w: {r.pk for r in w.seoul_reports}),
    "export-printable-map-21090": (printable_map("21090"), lambda w: {w.sensitive.pk}),
    "ogc-items-json": (ogc_items("json"), lambda w: {r.pk for r in w.reports}),
    "ogc-items-html": (ogc_items("html"), lambda w: {r.pk for r in w.reports}),
    "ogc-item-sensitive-json": (ogc_item("sensitive", "json"), lambda w: {w.sensitive.pk}),
    "ogc-item-sensitive-html": (ogc_item("sensitive", "html"), lambda w: {w.sensitive.pk}),
    "ogc-item-rest-json": (ogc_item("rest", "json"), lambda w: {w.rest.pk}),
    "ogc-item-rest-html": (ogc_item("rest", "html"), lambda w: {w.rest.pk}),
}

KEYED_OUTPUTS: dict[str, tuple[Callable, Callable[[World], set[int]]]] = {
    "open311-requests-json": (open311("requests", "json"), lambda w: {r.pk for r in w.reports}),
    "open311-requests-xml": (open311("requests", "xml"), lambda w: {r.pk for r in w.reports}),
    "open311-requests-json-extensions": (open311("requests", "json", True), lambda w: {r.pk for r in w.reports}),
    "open311-requests-xml-extensions": (open311("requests", "xml", True), lambda w: {r.pk for r in w.reports}),
    "open311-request-json": (open311("requests/{sensitive}", "json"), lambda w: {w.sensitive.pk}),
    "open311-request-xml": (open311("requests/{sensitive}", "xml"), lambda w: {w.sensitive.pk}),
    "open311-request-json-extensions": (open311("requests/{sensitive}", "json", True), lambda w: {w.sensitive.pk}),
    "rest-reports": (rest("reports/"), lambda w: {r.pk for r in w.reports}),
    "rest-report-sensitive": (rest("reports/{sensitive}/"), lambda w: {w.sensitive.pk}),
    "rest-report-named": (rest("reports/{named}/"), lambda w: {w.signed_in_named.pk}),
    "rest-comments": (rest("reports/{commented}/comments/"), lambda w: {w.web_anonymous.pk}),
}


def _key_headers(kind: str, world: World) -> dict:
    if kind == "no-key":
        return {}
    return {"params": {"api_key": world.read_key}, "http": {"HTTP_AUTHORIZATION": f"Bearer {world.read_key}"}}


def assert_private(output: Output, world: World) -> None:
    text = output.text.casefold()
    leaked = [secret for secret in world.secrets if secret.casefold() in text]
    assert not leaked, leaked


def assert_public_point(output: Output, world: World) -> None:
    public = world.sensitive.public_location.coords
    if world.sensitive.pk in output.points:
        lon, lat = output.points[world.sensitive.pk]
        assert (lon, lat) == pytest.approx(public, abs=1e-6)
        assert math.dist((lon, lat), SENSITIVE_EXACT) > 3e-4
    for report in world.seoul_reports:
        if report.pk in output.points:
            assert output.points[report.pk] == pytest.approx(report.location.coords, abs=1e-6)


@pytest.mark.parametrize("name", OUTPUTS)
def test_public_output_shows_reports_but_no_private_data(client, world, name):
    fetch, expected = OUTPUTS[name]
    output = fetch(client, world, {})
    assert expected(world) <= output.ids, (expected(world), output.ids)
    assert_private(output, world)
    assert_public_point(output, world)


@pytest.mark.parametrize("key", ["no-key", "read-key"])
@pytest.mark.parametrize("name", KEYED_OUTPUTS)
def test_api_output_shows_reports_but_no_private_data(client, world, name, key):
    fetch, expected = KEYED_OUTPUTS[name]
    output = fetch(client, world, _key_headers(key, world))
    assert expected(world) <= output.ids, (expected(world), output.ids)
    assert_private(output, world)
    assert_public_point(output, world)
    if name.startswith("open311") or name.startswith("rest-report"):
        # These publish a point for every report they show.
        assert set(output.points) >= expected(world)


# --- vector tiles -----------------------------------------------------------------------------


def _tile_position(lon: float, lat: float, z: int) -> tuple[int, int, float, float]:
    """The tile holding a point at zoom z and the point's position in it (MVT units, y down)."""
    n = 2**z
    x = (lon + 180.0) / 360.0 * n
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return int(x), int(y), (x - int(x)) * TILE_EXTENT, (y - int(y)) * TILE_EXTENT


@pytest.mark.parametrize("z", [7, 11, 12, 13, 15, 16, 18, 22])
def test_tiles_show_the_sensitive_report_at_its_public_point_only(client, world, z):
    public = world.sensitive.public_location.coords
    px, py = _tile_position(*public, z)[2:]
    ex, ey = _tile_position(*SENSITIVE_EXACT, z)[2:]
    tiles = {_tile_position(*public, z)[:2], _tile_position(*SENSITIVE_EXACT, z)[:2]}
    found = []
    for x, y in sorted(tiles):
        response = client.get(f"/tiles/reports/{z}/{x}/{y}.mvt")
        if response.status_code == 204:
            continue
        assert response.status_code == 200
        decoded = mapbox_vector_tile.decode(response.content, default_options={"y_coord_down": True})
        assert_private(Output(json.dumps(decoded, ensure_ascii=False), set()), world)
        for feature in decoded.get("reports", {}).get("features", []):
            found.append(((x, y) == _tile_position(*public, z)[:2], feature))
    in_public_tile = [feature for is_public_tile, feature in found if is_public_tile]
    assert in_public_tile, "the sensitive report is missing from its tile"
    if z < 13:
        # Counts at cell centres: the one report of Busan, in the cell that holds its public point.
        (feature,) = in_public_tile
        assert feature["properties"]["count"] == 1 and feature["properties"]["cluster"]
        cell = TILE_EXTENT / 16
        fx, fy = feature["geometry"]["coordinates"]
        assert abs(fx - px) <= cell / 2 + 1 and abs(fy - py) <= cell / 2 + 1
        return
    ours = [feature for _public, feature in found if feature["properties"].get("id") == world.sensitive.pk]
    assert len(ours) >= 1
    for feature in ours:
        fx, fy = feature["geometry"]["coordinates"]
        if feature in in_public_tile:
            assert abs(fx - px) <= 1 and abs(fy - py) <= 1, ((fx, fy), (px, py))
        # Nowhere at the exact point, in either tile (a buffered tile may repeat a neighbour's point).
        assert math.dist((fx, fy), (ex, ey)) > 2 or math.dist((px, py), (ex, ey)) <= 2
    if z >= 15:
        assert math.dist((px, py), (ex, ey)) > 50  # the check above means something at this zoom


# --- names the reporter chose to show ----------------------------------------------------------


NAMED_OUTPUTS = {
    "page-report-named": (lambda c, w: c.get(f"/reports/{w.signed_in_named.pk}/"), SHOWN_REPORTER_NAME),
    "page-report-comment-named": (lambda c, w: c.get(f"/reports/{w.web_anonymous.pk}/"), SHOWN_COMMENT_NAME),
    "feed-area-11010": (lambda c, w: c.get("/alerts/feeds/area/11010.atom"), SHOWN_REPORTER_NAME),
    "feed-near-seoul": (lambda c, w: c.get("/alerts/feeds/near.atom", {"lon": JONGNO[0], "lat": JONGNO[1]}), SHOWN_REPORTER_NAME),
    "rest-reports": (lambda c, w: c.get("/api/v1/reports/"), SHOWN_REPORTER_NAME),
    "rest-report-named": (lambda c, w: c.get(f"/api/v1/reports/{w.signed_in_named.pk}/"), SHOWN_REPORTER_NAME),
    "rest-comments": (lambda c, w: c.get(f"/api/v1/reports/{w.web_anonymous.pk}/comments/"), SHOWN_COMMENT_NAME),
}


@pytest.mark.parametrize("name", NAMED_OUTPUTS)
def test_a_name_the_reporter_chose_to_show_is_shown(client, world, name):
    fetch, shown = NAMED_OUTPUTS[name]
    raw = _body(fetch(client, world))
    text = _decoded(raw)
    if name.startswith("rest"):
        text += json.dumps(json.loads(raw), ensure_ascii=False)
    assert shown in text
    assert_private(Output(text, set()), world)
