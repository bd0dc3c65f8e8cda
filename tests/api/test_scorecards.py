"""The scorecards API: 243 precomputed rows, every response checked against the OpenAPI schema."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from reports.models import Report
from reports.services import report_change_status
from scorecards.indicators import OBJECT_KEYS
from scorecards.services import scorecards_refresh
from tests.api.openapi import assert_matches_schema
from tests.factories import JONGNO, CategoryFactory, make_report

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=ZoneInfo("Asia/Seoul"))


@pytest.fixture
def refreshed():
    category = CategoryFactory(sla_days=7)
    for days in (1, 3):
        report = make_report(category=category, at=JONGNO, created_at=NOW - timedelta(days=20))
        report_change_status(report=report, to_status="closed", outcome="resolved")
        Report.objects.filter(pk=report.pk).update(closed_at=report.created_at + timedelta(days=days))
    make_report(category=category, at=JONGNO, created_at=NOW - timedelta(days=2))
    scorecards_refresh(now=NOW)


def test_list_has_every_government_with_every_indicator(client, refreshed):
    response = client.get("/api/v1/scorecards/")
    assert response.status_code == 200
    rows = assert_matches_schema(response)
    assert len(rows) == 243
    assert {row["peer_group"] for row in rows} == {"province", "city", "county", "district"}
    jongno = next(row for row in rows if row["code"] == "11010")
    assert jongno["reports_received"] == 3 and isinstance(jongno["reports_received"], int)
    assert jongno["level"] == jongno["peer_group"] == "district"
    assert jongno["province"] == {"code": "11", "name": "서울특별시", "name_en": "Seoul"}
    for key in OBJECT_KEYS:
        assert key in jongno
    assert jongno["median_days_to_close"]["value"] == 3.0  # 1*, 2+, 3*: S = 2/3 at 1, 0 at 3
    assert jongno["share_closed_within_sla"] == {"value": 1.0, "low": pytest.approx(0.3424, abs=1e-4), "high": 1.0, "n": 2}
    assert jongno["band"] is None and jongno["band_reason"] == "too_few"
    assert jongno["mean_rating"] == {"value": None, "reason": "no_reports"}  # no rating yet


def test_list_filters_by_province_and_peer_group(client, refreshed):
    seoul = assert_matches_schema(client.get("/api/v1/scorecards/?province=11"))
    assert len(seoul) == 26  # 서울특별시 and its 25 자치구
    counties = assert_matches_schema(client.get("/api/v1/scorecards/?peer_group=county"))
    assert len(counties) == 82 and {row["level"] for row in counties} == {"county"}


@pytest.mark.parametrize("query", ["peer_group=village", "province=seoul"])
def test_bad_filters_are_a_clear_400(client, refreshed, query):
    response = client.get(f"/api/v1/scorecards/?{query}")
    assert response.status_code == 400
    body = assert_matches_schema(response)
    assert body["error"]["code"] == "invalid_parameter" and body["error"]["message"]


def test_detail_has_the_curves_and_the_submunicipal_units(client, refreshed):
    response = client.get("/api/v1/scorecards/11010/")
    assert response.status_code == 200
    card = assert_matches_schema(response)
    assert card["km_close"] == [{"day": 1, "s": 0.6667, "low": pytest.approx(0.3, abs=0.1), "high": 1.0},
                                {"day": 3, "s": 0.0, "low": 0.0, "high": None}]
    assert card["km_close_peer"] == card["km_close"]
    assert card["funnel"]["share_closed_within_sla"]["position"] == "within"
    assert sum(unit["closed_reports"] for unit in card["submunicipal_units"]) == 2


def test_unknown_code_is_a_404(client, refreshed):
    response = client.get("/api/v1/scorecards/99999/", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert assert_matches_schema(response)["error"]["code"] == "not_found"
