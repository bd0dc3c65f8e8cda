"""One government's indicators over a window (before and after a standard model's adoption), with
timelines set by hand and the expected medians and shares worked out below."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from reports.models import Report
from reports.services import report_change_status
from scorecards.services import scorecard_window
from tests.factories import JONGNO, CategoryFactory, make_report

START = datetime(2026, 3, 1, tzinfo=ZoneInfo("Asia/Seoul"))
DAYS_90 = timedelta(days=90)
pytestmark = pytest.mark.django_db


def _report(*, filed: datetime, closed_after: float | None = None, outcome: str = "resolved", category=None, **kwargs) -> Report:
    report = make_report(at=JONGNO, category=category, created_at=filed, **kwargs)
    if closed_after is not None:
        report_change_status(report=report, to_status="closed", outcome=outcome, reason="사유")
        Report.objects.filter(pk=report.pk).update(closed_at=filed + timedelta(days=closed_after))
    return report


def _gov_id() -> int:
    return Report.objects.filter(local_government__code="11010").values_list("local_government_id", flat=True).first()


@pytest.fixture
def timelines():
    """Target 7 days. Before the start: five reports filed 60 days earlier, closed after 1, 2, 3, 5
    and 10 days, and one closed as a duplicate (received, never timed); a report filed before the
    window and a sample report are never in it. After: five filed 10 days after the start, closed
    after 2, 4, 6 and 8 days and one still open; one filed after the window."""
    category = CategoryFactory(sla_days=7)
    before = START - timedelta(days=60)
    first = None
    for closed_after in (1, 2, 3, 5, 10):
        report = _report(filed=before, closed_after=closed_after, category=category)
        first = first or report
    duplicate = make_report(at=JONGNO, category=category, created_at=before)
    report_change_status(report=duplicate, to_status="closed", outcome="duplicate", reason="중복", duplicate_of=first)
    Report.objects.filter(pk=duplicate.pk).update(closed_at=before + timedelta(days=1))
    _report(filed=START - timedelta(days=100), closed_after=1, category=category)  # before the window
    _report(filed=before, closed_after=1, category=category, is_sample=True)  # never counted
    after = START + timedelta(days=10)
    for closed_after in (2, 4, 6, 8, None):
        _report(filed=after, closed_after=closed_after, category=category)
    _report(filed=START + timedelta(days=95), category=category)  # after the window
    return category


def test_before_and_after_an_adoption_by_hand(timelines):
    gov = _gov_id()
    before = scorecard_window(government_id=gov, start=START - DAYS_90, end=START, now=START + timedelta(days=100))
    assert before["complete"] and before["days"] == 90 and before["start"].isoformat() == "2025-12-01"
    figures = before["indicators"]
    assert figures["reports_received"] == {"value": 6, "low": None, "high": None, "n": 6}  # the duplicate counts
    # Kaplan–Meier over 1, 2, 3, 5, 10 (all closed): 0.8, 0.6, 0.4 at day 3 → median 3; 4 of 5 within 7 days.
    assert figures["median_days_to_close"]["value"] == 3.0 and figures["median_days_to_close"]["n"] == 5
    assert figures["share_closed_within_sla"]["value"] == 0.8 and figures["share_closed_within_sla"]["n"] == 5
    after = scorecard_window(government_id=gov, start=START, end=START + DAYS_90, now=START + timedelta(days=100))
    figures = after["indicators"]
    assert after["complete"] and figures["reports_received"]["value"] == 5
    # 2, 4, 6, 8 closed and one open (censored at the window's end, day 80): median 6; 3 of 5 within
    # 7 days (the 8-day one is late, the open one is past its due date).
    assert figures["median_days_to_close"]["value"] == 6.0
    assert figures["share_closed_within_sla"] == {**figures["share_closed_within_sla"], "value": 0.6, "n": 5}


def test_a_window_not_passed_is_clipped_at_today_and_one_not_begun_is_empty(timelines):
    gov = _gov_id()
    partial = scorecard_window(government_id=gov, start=START, end=START + DAYS_90, now=START + timedelta(days=13))
    assert not partial["complete"] and partial["days"] == 13
    # Observed on day 13, three days after filing: none closed after more than 3 days yet.
    assert partial["indicators"]["reports_received"]["value"] == 5
    assert partial["indicators"]["median_days_to_close"] == {"value": None, "reason": "not_reached"}
    future = scorecard_window(government_id=gov, start=START, end=START + DAYS_90, now=START - timedelta(days=1))
    assert future["indicators"]["median_days_to_close"] == {"value": None, "reason": "window_not_begun"}
    assert future["days"] == 0 and not future["complete"]


def test_too_few_reports_give_the_count_and_a_reason(settings, timelines):
    settings.SCORECARD_MIN_WINDOW_REPORTS = 6
    after = scorecard_window(government_id=_gov_id(), start=START, end=START + DAYS_90, now=START + timedelta(days=100))
    assert after["indicators"]["reports_received"]["value"] == 5
    assert after["indicators"]["share_closed_within_sla"] == {"value": None, "reason": "too_few_reports", "n": 5}
