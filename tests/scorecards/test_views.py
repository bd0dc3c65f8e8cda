"""The scorecard pages and downloads, read from the precomputed rows."""

import csv
import io
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from reports.models import Report
from reports.services import report_change_status
from scorecards.indicators import INDICATORS, csv_headers
from scorecards.services import scorecards_refresh
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
