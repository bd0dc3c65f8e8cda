"""The maintained cell counts behind the home map's grid and the low-zoom tiles."""

import pytest
from django.core.management import call_command
from django.db import connection

from layers.models import ReportCell
from mapping.selectors import map_data
from reports.models import Report
from reports.selectors import report_filters_parse
from reports.services import report_change_status
from tests.factories import HAEUNDAE, JONGNO, CategoryFactory, make_report

pytestmark = pytest.mark.django_db

KOREA = "124,33,132,39"


def grid(**params):
    data = map_data(filters=report_filters_parse({"bbox": KOREA, **params}), zoom=7)
    assert data.mode == "grid"
    return data.features


def test_home_grid_is_read_from_cells_at_the_centroid(django_assert_max_num_queries):
    pothole = CategoryFactory(code="cell-pothole")
    light = CategoryFactory(code="cell-light")
    near = [(JONGNO[0] + 0.002, JONGNO[1]), (JONGNO[0] - 0.002, JONGNO[1] + 0.001), JONGNO]
    made = [make_report(category=pothole, at=at) for at in near]
    make_report(category=light, at=HAEUNDAE)
    with django_assert_max_num_queries(1):
        cells = grid()
    assert sorted(cell["count"] for cell in cells) == [1, 3]
    seoul = next(cell for cell in cells if cell["count"] == 3)
    assert seoul["lon"] == pytest.approx(sum(p[0] for p in near) / 3, abs=1e-6)
    assert seoul["lat"] == pytest.approx(sum(p[1] for p in near) / 3, abs=1e-6)

    report_change_status(report=made[0], to_status="closed", outcome="resolved")
    assert [cell["count"] for cell in grid(status="closed")] == [1]
    assert sorted(cell["count"] for cell in grid(status="open")) == [1, 2]
    assert [cell["count"] for cell in grid(category="cell-light")] == [1]
    assert grid(category="no-such-category") == []
    # Moderation hides a report: it leaves the counts and the centroid.
    Report.objects.filter(pk=made[1].pk).update(is_hidden=True)
    seoul = next(cell for cell in grid() if cell["count"] == 2)
    assert seoul["lon"] == pytest.approx((near[0][0] + near[2][0]) / 2, abs=1e-6)


def test_home_grid_bbox_and_fallback_filters_agree():
    category = CategoryFactory()
    make_report(category=category, at=JONGNO)
    make_report(category=category, at=HAEUNDAE)
    seoul_only = report_filters_parse({"bbox": "126.8,37.4,127.2,37.7"})
    assert [cell["count"] for cell in map_data(filters=seoul_only, zoom=9).features] == [1]
    # Filters the cells do not hold fall back to a GROUP BY over the reports: same answer.
    dated = report_filters_parse({"bbox": "126.8,37.4,127.2,37.7", "start": "2000-01-01"})
    fallback = map_data(filters=dated, zoom=9).features
    assert [cell["count"] for cell in fallback] == [1]
    assert fallback[0]["lon"] == pytest.approx(JONGNO[0], abs=1e-5)


def test_bulk_generation_defers_the_triggers_and_rebuilds_the_cells(monkeypatch):
    from reports.management.commands import generate_reports

    make_report(category=CategoryFactory(), at=JONGNO)  # counted by the trigger before the load
    monkeypatch.setattr(generate_reports, "BULK", 10)
    call_command("generate_reports", count=40, seed=5)
    public = Report.objects.public()
    assert public.count() == 41
    for level in (4, 10, 16):
        assert sum(ReportCell.objects.filter(z=level).values_list("count", flat=True)) == 41
    with connection.cursor() as cursor:
        cursor.execute("SELECT (SELECT sum(lon_sum) FROM layers_reportcell WHERE z = 16), (SELECT sum(ST_X(public_location)) FROM reports_report)")
        cells, reports = cursor.fetchone()
    assert cells == pytest.approx(reports)
    # The deferral ended with the load's transaction: later writes are counted again.
    make_report(category=CategoryFactory(), at=HAEUNDAE)
    assert sum(ReportCell.objects.filter(z=16).values_list("count", flat=True)) == 42
