import mapbox_vector_tile
import pytest

from layers.models import ReportCell
from reports.services import report_change_status
from tests.factories import HAEUNDAE, JONGNO, CategoryFactory, UserFactory, make_report

pytestmark = pytest.mark.django_db

# Tiles containing JONGNO (126.9768, 37.5759).
Z7 = (7, 109, 49)
Z11 = (11, 1746, 793)
Z15 = (15, 27941, 12688)


@pytest.fixture
def reports():
    pothole = CategoryFactory(code="tile-pothole")
    light = CategoryFactory(code="tile-light")
    reporter = UserFactory()
    made = [make_report(category=pothole, at=(JONGNO[0] + i * 0.0001, JONGNO[1]), reporter=reporter) for i in range(3)]
    made.append(make_report(category=light, at=JONGNO, reporter=reporter))
    made.append(make_report(category=light, at=HAEUNDAE, reporter=reporter))
    report_change_status(report=made[0], to_status="closed", outcome="resolved")
    return made


def tile(client, layer, zxy, query="", **headers):
    z, x, y = zxy
    return client.get(f"/tiles/{layer}/{z}/{x}/{y}.mvt{query}", **headers)


def decode(response):
    assert response.status_code == 200 and response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    return mapbox_vector_tile.decode(response.content)


def test_low_zoom_is_aggregated_from_maintained_cells(client, reports):
    layer = decode(tile(client, "reports", Z7))["reports"]
    counts = [feature["properties"]["count"] for feature in layer["features"]]
    assert sum(counts) == 4 and all(feature["properties"]["cluster"] for feature in layer["features"])
    assert len(layer["features"]) == 1  # the Seoul reports share a cell at this zoom
    z11 = decode(tile(client, "reports", Z11))["reports"]["features"]
    assert sum(f["properties"]["count"] for f in z11) == 4


def test_cell_counts_follow_status_changes_and_filters(client, reports):
    def total(query):
        response = tile(client, "reports", Z7, query)
        if response.status_code == 204:
            return 0
        return sum(f["properties"]["count"] for f in decode(response)["reports"]["features"])

    assert total("?status=closed") == 1
    assert total("?status=open") == 3
    assert total("?category=tile-light") == 1
    report_change_status(report=reports[1], to_status="closed", outcome="resolved")
    assert total("?status=closed") == 2 and total("?status=open") == 2
    reports[2].is_hidden = True
    reports[2].save(update_fields=["is_hidden"])
    assert total("") == 3
    assert ReportCell.objects.filter(z=16, count__lt=0).count() == 0


def test_high_zoom_has_public_points(client, reports):
    layer = decode(tile(client, "reports", Z15))["reports"]
    assert {f["properties"]["id"] for f in layer["features"]} == {r.pk for r in reports[:4]}
    assert layer["extent"] == 4096
    feature = next(f for f in layer["features"] if f["properties"]["id"] == reports[0].pk)
    assert feature["properties"]["status"] == "closed" and feature["geometry"]["type"] == "Point"
    filtered = decode(tile(client, "reports", Z15, "?category=tile-light"))["reports"]["features"]
    assert [f["properties"]["id"] for f in filtered] == [reports[3].pk]


def test_etag_304_and_empty_tile(client, reports):
    first = tile(client, "reports", Z15)
    etag = first["ETag"]
    assert etag and "max-age" in first["Cache-Control"]
    again = tile(client, "reports", Z15, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and not again.content
    assert tile(client, "reports", (15, 0, 0)).status_code == 204
    assert tile(client, "reports", (5, 0, 0)).status_code == 204


def test_local_governments_tile(client):
    layer = decode(tile(client, "local_governments", Z11))["local_governments"]
    codes = {f["properties"]["code"] for f in layer["features"]}
    assert "11010" in codes and all(f["geometry"]["type"] in {"Polygon", "MultiPolygon"} for f in layer["features"])


@pytest.mark.parametrize("path,status", [
    ("/tiles/reports/7/128/0.mvt", 404), ("/tiles/reports/23/0/0.mvt", 404), ("/tiles/roads/7/1/1.mvt", 404),
    ("/tiles/reports/7/-1/0.mvt", 404), ("/tiles/reports/7/109/49.mvt?status=nope", 400), ("/tiles/reports/7/109/49.mvt?bbox=1,2,3,4", 400),
])
def test_bad_tiles(client, path, status):
    assert client.get(path).status_code == status
