"""Each adopter's scorecard figures before and after its start, on the model's page and in the API,
from reports filed by hand on both sides of the adoption date."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from reports.models import Report
from reports.services import report_change_status
from standard_models.services import model_adopt
from tests.api.openapi import assert_matches_schema
from tests.factories import CategoryFactory, make_report
from tests.standard_models.conftest import JEONJU, government
from tests.standard_models.test_services import JEONJU_POINT


def _report(*, filed: datetime, closed_after: float | None, category) -> None:
    report = make_report(at=JEONJU_POINT, category=category, created_at=filed)
    if closed_after is not None:
        report_change_status(report=report, to_status="closed", outcome="resolved", reason="처리")
        Report.objects.filter(pk=report.pk).update(closed_at=filed + timedelta(days=closed_after))


@pytest.fixture
def adopted(settings, published, jeonju_staff):
    """전주시 adopted 120 days ago (its 90 days after have passed). Target 7 days. Before: three
    reports filed 30 days before the start, closed after 1, 4 and 9 days: KM median 4, 2 of 3 within
    the target. After: three filed 5 days after it, closed after 1, 2 and 3 days: median 2, 3 of 3."""
    settings.SCORECARD_MIN_WINDOW_REPORTS = 2
    starts_on = timezone.localdate() - timedelta(days=120)
    start = timezone.make_aware(datetime.combine(starts_on, time.min))
    category = CategoryFactory(sla_days=7)
    for closed_after in (1, 4, 9):
        _report(filed=start - timedelta(days=30), closed_after=closed_after, category=category)
    for closed_after in (1, 2, 3):
        _report(filed=start + timedelta(days=5), closed_after=closed_after, category=category)
    return model_adopt(model=published.model, government=government(JEONJU), starts_on=starts_on, actor=jeonju_staff)


def test_the_api_gives_each_adopters_figures_before_and_after(client, adopted):
    body = assert_matches_schema(client.get("/api/v1/models/suwon-barrier-free/"))
    figures = body["adoptions"][0]["figures"]
    before, after = figures["before"], figures["after"]
    assert before["complete"] and after["complete"] and before["days"] == after["days"] == 90
    assert before["end"] == after["start"] == adopted.starts_on.isoformat()
    assert before["indicators"]["reports_received"] == {"value": 3, "low": None, "high": None, "n": 3}
    assert before["indicators"]["median_days_to_close"]["value"] == 4.0
    assert before["indicators"]["share_closed_within_sla"]["value"] == pytest.approx(0.6667)
    assert after["indicators"]["median_days_to_close"]["value"] == 2.0
    assert after["indicators"]["share_closed_within_sla"]["value"] == 1.0 and after["indicators"]["share_closed_within_sla"]["n"] == 3


def test_the_page_shows_them_in_the_lineage_with_links_to_the_definitions(client, adopted):
    page = client.get("/models/suwon-barrier-free/").content.decode()
    assert 'href="#adopter-35010"' in re.search(r"<svg.*?</svg>", page, re.S).group(0)  # the lineage's node
    row = re.search(r'<tr id="adopter-35010".*?</tr>', page, re.S).group(0)
    cell = re.search(r'<td data-indicator="median_days_to_close">.*?</td>', row, re.S).group(0)
    assert 'href="/scorecards/methods/#median_days_to_close"' in cell
    assert re.search(r'class="before"[^>]*>4\.0[^<]*</span> → <span class="after"[^>]*>2\.0', cell)
    share = re.search(r'<td data-indicator="share_closed_within_sla">.*?</td>', row, re.S).group(0)
    assert ">67 %</span> → <span" in share and ">100 %</span>" in share and "n 3 → 3" in share


def test_a_recent_adoption_shows_its_days_so_far_and_why_figures_are_missing(client, published, jeonju_staff):
    model_adopt(model=published.model, government=government(JEONJU), starts_on=timezone.localdate() - timedelta(days=10), actor=jeonju_staff)
    after = assert_matches_schema(client.get("/api/v1/models/suwon-barrier-free/"))["adoptions"][0]["figures"]["after"]
    assert not after["complete"] and after["days"] == 10
    median = after["indicators"]["median_days_to_close"]
    assert (median["value"], median["reason"], median["n"]) == (None, "no_reports", 0)
    client.cookies["django_language"] = "en"
    page = client.get("/models/suwon-barrier-free/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "10 days so far" in page and "No report counts towards this indicator yet." in page
