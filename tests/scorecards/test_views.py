"""The scorecard pages and downloads, read from the precomputed rows."""

import csv
import io
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from geodata.models import Area
from reports.models import Report
from reports.services import report_change_status
from scorecards.indicators import INDICATORS, csv_headers
from scorecards.services import scorecards_refresh
from standard_models.models import StandardModel
from tests.factories import HAEUNDAE, JONGNO, CategoryFactory, make_report

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=ZoneInfo("Asia/Seoul"))


@pytest.fixture
def refreshed(settings):
    settings.SCORECARD_MIN_REPORTS = 2
    category = CategoryFactory(sla_days=7)
    for at, days in ((JONGNO, 1), (JONGNO, 2), (HAEUNDAE, 9), (HAEUNDAE, 10)):
        report = make_report(category=category, at=at, created_at=NOW - timedelta(days=20))
        report_change_status(report=report, to_status="closed", outcome="resolved")
        Report.objects.filter(pk=report.pk).update(closed_at=report.created_at + timedelta(days=days))
    make_report(category=category, at=JONGNO, created_at=NOW - timedelta(days=20), is_sample=True)
    scorecards_refresh(now=NOW)


def test_methods_page_defines_every_indicator_in_korean_and_english(client):
    page = client.get("/scorecards/methods/").content.decode()
    for indicator in INDICATORS:
        assert f'id="{indicator.key}"' in page
    assert "시계" in page or "시작" in page  # the Korean page
    english = client.get("/scorecards/methods/", headers={"Accept-Language": "en"}).content.decode()
    assert "Kaplan–Meier" in english and "Clock" in english


def test_national_table_with_bands_and_too_few(client, refreshed):
    response = client.get("/scorecards/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('href="/scorecards/') >= 243
    assert "비교하기에 보고 건수가 적습니다" in page
    assert 'href="/scorecards/methods/#share_closed_within_sla"' in page
    assert "<svg" in page and "<circle" in page  # the 자치구 funnel plot with 종로구 and 해운대구
    english = client.get("/scorecards/?peer_group=county", headers={"Accept-Language": "en"}).content.decode()
    assert "too few reports to compare" in english


def test_table_filters_and_sorts(client, refreshed):
    # The funnel plot shows the whole peer group; the table only the chosen province.
    table = client.get("/scorecards/?province=11&sort=band").content.decode().split("<table")[1]
    assert "종로구" in table and "해운대구" not in table and table.count("<tr>") == 1 + 26
    rows = client.get("/scorecards/?peer_group=district&sort=share_closed_within_sla&order=desc").content.decode()
    assert rows.index("/scorecards/11010/") < rows.index("/scorecards/21090/")


@pytest.mark.parametrize("query", ["province=99", "peer_group=village", "sort=secret", "indicator=median_days_to_close"])
def test_bad_filters_say_so(client, refreshed, query):
    response = client.get(f"/scorecards/?{query}", headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_government_page_has_its_curve_against_its_peers(client, refreshed):
    response = client.get("/scorecards/11010/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "종로구" in page and page.count("<polyline") >= 4  # own curve, its two bounds, the peers' curve
    assert 'href="/scorecards/methods/#median_days_to_close"' in page
    assert client.get("/scorecards/99999/").status_code == 404


def test_csv_download_has_a_bom_and_the_catalogue_headers(client, refreshed):
    response = client.get("/scorecards/scorecards.csv")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows[0] == csv_headers()
    assert len(rows) == 1 + 243
    jongno = dict(zip(rows[0], next(row for row in rows if row[0] == "11010"), strict=True))
    assert jongno["reports_received"] == "2" and jongno["band"] == "2"
    assert jongno["mean_rating_reason"] == "no_reports"


def test_json_download_matches_the_rows(client, refreshed):
    rows = json.loads(client.get("/scorecards/scorecards.json").content)
    assert len(rows) == 243
    assert sum(row["reports_received"] for row in rows) == Report.objects.public().counted().count() == 4


def test_government_page_draws_the_trends_by_quarter(client, refreshed):
    page = client.get("/scorecards/11010/").content.decode()
    trends = page.split('id="trends"')[1].split("<h2>")[0]
    assert trends.count("<svg") == 3  # received, median days to close, share within the target
    assert "2026-Q2" in trends and "2024-Q3" in trends
    assert 'href="/scorecards/methods/#median_days_to_close"' in trends
    assert 'id="trends"' in client.get("/scorecards/methods/").content.decode()


def test_map_data_has_every_government_with_its_values_and_link(client, refreshed):
    municipal = client.get("/scorecards/map.geojson")
    assert municipal.status_code == 200 and municipal["Content-Type"].startswith("application/geo+json")
    features = json.loads(municipal.content)["features"]
    provinces = json.loads(client.get("/scorecards/map.geojson?layer=province").content)["features"]
    assert (len(features), len(provinces)) == (226, 17)  # the 243, drawn in two layers that overlap
    jongno = next(feature for feature in features if feature["id"] == "11010")
    assert jongno["geometry"]["type"] == "MultiPolygon"
    props = jongno["properties"]
    assert props["url"] == "/scorecards/11010/" and props["name"] == "종로구" and props["band"] == 2
    assert props["reports_received"] == 2 and props["share_closed_within_sla"] == 1.0
    assert props["mean_rating"] is None
    # Simplified by PostGIS: far fewer vertices than the stored boundary.
    from geodata.models import Area
    stored = Area.objects.get(code="11010", is_current=True).geom.num_points
    assert sum(len(ring) for polygon in jongno["geometry"]["coordinates"] for ring in polygon) < stored / 3


def test_map_data_refuses_an_unknown_layer(client, refreshed):
    response = client.get("/scorecards/map.geojson?layer=village", headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_parameter" and "municipal" in response.json()["error"]["message"]
    korean = client.get("/scorecards/map.geojson?layer=village").json()["error"]["message"]
    assert "지도" in korean


def test_national_page_has_the_choropleth_from_our_own_files(client, refreshed):
    page = client.get("/scorecards/").content.decode()
    assert 'id="choropleth"' in page and 'id="scorecards-map-text"' in page
    assert "/static/leaflet/leaflet.js" in page and "/static/dongne/scorecards-map.js" in page
    assert "//" not in "".join(line for line in page.splitlines() if "<script src=" in line).replace('src="/', "")


def test_methods_page_writes_out_the_reporting_delay_assumptions(client):
    page = client.get("/scorecards/methods/").content.decode()
    section = page.split('id="relative_reporting_delay"')[1].split("</section>")[0]
    assert 'id="reporting_delay_assumptions"' in section and section.count("<li>") == 6
    assert "포아송" in section and "등급에는 절대 쓰지 않습니다" in section
    english = client.get("/scorecards/methods/", headers={"Accept-Language": "en"}).content.decode()
    assert "Liu, Bhandaram &amp; Garg" in english and "never part of the bands" in english


def test_a_government_below_its_peers_links_to_what_faster_peers_adopted(client, settings):
    category = CategoryFactory(sla_days=7)
    # 종로구 0 of 10 within the target, 해운대구 10 of 10: p0 = 0.5, n = 10, limits 0.5 ± 3.09·0.158:
    # 종로구 below the 99.8 % limit, 해운대구 above it.
    for at, days in [(JONGNO, 9)] * 10 + [(HAEUNDAE, 1)] * 10:
        report = make_report(category=category, at=at, created_at=NOW - timedelta(days=20))
        report_change_status(report=report, to_status="closed", outcome="resolved")
        Report.objects.filter(pk=report.pk).update(closed_at=report.created_at + timedelta(days=days))
    scorecards_refresh(now=NOW)
    page = client.get("/scorecards/11010/", headers={"Accept-Language": "en"}).content.decode()
    section = page.split('id="faster-peers"')[1].split("<h2")[0]
    assert 'href="/scorecards/21090/"' in section and "no adopted model recorded" in section
    assert "None open." in page.split('id="obligations"')[1]
    # Once 해운대구 runs a published model, the slower peer's page links to it.
    StandardModel.objects.create(slug="quick-fix", title="Quick fix crews", theme="safety", licence="CC-BY-4.0",
                                 origin_government=Area.objects.get(code="21090", is_current=True), status="published")
    section = client.get("/scorecards/11010/", headers={"Accept-Language": "en"}).content.decode().split('id="faster-peers"')[1].split("<h2")[0]
    assert '<a href="/models/quick-fix/">Quick fix crews</a>' in section
    # Above or within the limits: no such section; its own models section lists what it originated.
    faster = client.get("/scorecards/21090/").content.decode()
    assert 'id="faster-peers"' not in faster
    assert 'href="/models/quick-fix/"' in faster.split('id="models"')[1].split("<h2")[0]
    assert "열린 의무가 없습니다" in faster.split('id="obligations"')[1]
