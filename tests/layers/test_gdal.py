"""GDAL's own OGC API client (Debian gdal-bin) against the live server."""

import json
import subprocess

import pytest

from reports.models import Report
from tests.factories import HAEUNDAE, JONGNO, SUWON_PALDAL, CategoryFactory, UserFactory, make_report


@pytest.fixture
def twenty_reports(transactional_db):
    category = CategoryFactory(code="gdal-test")
    reporter = UserFactory()
    for index in range(20):
        make_report(category=category, at=(JONGNO, HAEUNDAE, SUWON_PALDAL)[index % 3], reporter=reporter)
    return Report.objects.public().count()


def run(*args: str) -> str:
    result = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_ogrinfo_lists_collections(live_server, twenty_reports):
    out = run("ogrinfo", "-ro", "-so", f"OAPIF:{live_server.url}/ogc")
    for name in ("reports", "local_governments", "provinces"):
        assert f": {name} " in out


def test_ogr2ogr_copies_every_report_through_next_links(live_server, twenty_reports, tmp_path):
    target = tmp_path / "out.json"
    run("ogr2ogr", "-f", "GeoJSON", str(target), f"OAPIF:{live_server.url}/ogc/collections/reports", "-oo", "PAGE_SIZE=7")
    data = json.loads(target.read_text())
    assert twenty_reports == 20
    assert len(data["features"]) == 20
    assert {f["properties"]["category_code"] for f in data["features"]} == {"gdal-test"}


@pytest.fixture
def mapped_campaign(transactional_db):
    from tests.campaign_factories import JONGNO_POINTS, make_campaign, make_entry

    campaign = make_campaign(slug="gdal-campaign")
    for index in range(5):
        make_entry(campaign, at=JONGNO_POINTS[index], answers={"entrance": "flat", "note": f"gdal-note-{index}", "contact": "gdal-private"})
    return campaign


def test_ogrinfo_reads_a_campaign_collection_through_next_links(live_server, mapped_campaign):
    out = run("ogrinfo", "-ro", "-so", f"OAPIF:{live_server.url}/ogc")
    assert ": campaign-gdal-campaign " in out
    out = run("ogrinfo", "-ro", "-al", "-oo", "PAGE_SIZE=2", f"OAPIF:{live_server.url}/ogc/collections/campaign-gdal-campaign")
    assert out.count("OGRFeature(") == 5 and all(f"gdal-note-{index}" in out for index in range(5))
    assert "gdal-private" not in out
