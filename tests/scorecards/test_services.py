"""The full recompute against reports whose timelines are set by hand (a frozen `now` is passed in)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from geodata.models import Area
from reports.models import Report, ReportEvent, Support
from reports.services import report_change_status, report_reopen
from scorecards.indicators import OBJECT_KEYS
from scorecards.models import Scorecard
from scorecards.peers import peer_group_of
from scorecards.services import scorecards_refresh
from tests.factories import HAEUNDAE, JONGNO, CategoryFactory, make_report

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=ZoneInfo("Asia/Seoul"))
pytestmark = pytest.mark.django_db


def _report(*, at=JONGNO, age_days: float, closed_after: float | None = None, outcome: str = "resolved",
            category=None, duplicate_of=None, **kwargs) -> Report:
    """A report filed age_days before NOW, closed closed_after days after filing (None: still open)."""
    created = NOW - timedelta(days=age_days)
    report = make_report(at=at, category=category, created_at=created, **kwargs)
    if closed_after is not None:
        report_change_status(report=report, to_status="closed", outcome=outcome, reason="사유",
                             duplicate_of=duplicate_of)
        Report.objects.filter(pk=report.pk).update(closed_at=created + timedelta(days=closed_after))
    return report


def _card(code: str) -> Scorecard:
    return Scorecard.objects.select_related("area").get(area__code=code, area__is_current=True)


def test_peer_groups_of_the_243_governments():
    governments = Area.objects.current().local_governments()
    groups = [peer_group_of(level=area.level, name=area.name) for area in governments]
    assert len(groups) == 243
    assert {group: groups.count(group) for group in set(groups)} == {
        "province": 17, "city": 75, "county": 82, "district": 69,
    }
    by_code = {area.code: peer_group_of(level=area.level, name=area.name) for area in governments}
    assert by_code["11010"] == "district"  # 종로구
    assert by_code["31010"] == "city"  # 수원시, a city with non-autonomous districts
    assert by_code["29"] == "province"  # 세종특별자치시


def test_kaplan_meier_in_sql_matches_the_hand_worked_example():
    # The example of test_stats: 1* 2* 2+ 3* 4+ 5* days (+ = still open at NOW).
    category = CategoryFactory(sla_days=30)
    for closed_after in (1, 2, 3, 5):
        _report(age_days=20, closed_after=closed_after, category=category)
    _report(age_days=2, category=category)
    _report(age_days=4, category=category)
    # Never counted: a sample report, a hidden one; counted but not timed: one closed as a duplicate.
    original = Report.objects.filter(local_government__code="11010").first()
    _report(age_days=20, closed_after=0.5, category=category, is_sample=True)
    hidden = _report(age_days=20, closed_after=0.5, category=category)
    Report.objects.filter(pk=hidden.pk).update(is_hidden=True)
    _report(age_days=20, closed_after=0.1, category=category, outcome="duplicate", duplicate_of=original)

    assert scorecards_refresh(now=NOW) == 243
    card = _card("11010")
    assert card.reports_received == 7
    median = card.indicators["median_days_to_close"]
    assert median == {"value": 3.0, "low": 2.0, "high": None, "n": 6}
    assert card.indicators["p90_days_to_close"]["value"] == 5.0
    curve = {point["day"]: point["s"] for point in card.detail["km_close"]}
    assert curve == {1: round(5 / 6, 4), 2: round(2 / 3, 4), 3: round(4 / 9, 4), 5: 0.0}
    # The peer group's curve is over every 자치구's reports: here only 종로구 has any.
    assert card.detail["km_close_peer"] == card.detail["km_close"]
    assert card.indicators["share_duplicate"]["value"] == pytest.approx(0.2)  # 1 of 5 closed


def test_sla_outcomes_reopen_and_acknowledge():
    category = CategoryFactory(sla_days=7)
    _report(at=HAEUNDAE, age_days=30, closed_after=2, category=category)  # within
    _report(at=HAEUNDAE, age_days=30, closed_after=9, category=category, outcome="not_accepted")  # late
    overdue = _report(at=HAEUNDAE, age_days=10, category=category)  # open and overdue: a miss
    _report(at=HAEUNDAE, age_days=1, category=category)  # open, not yet due: left out
    reopened = _report(at=HAEUNDAE, age_days=30, closed_after=1, category=category)
    event = report_reopen(report=reopened, reason="아직 그대로예요")
    ReportEvent.objects.filter(pk=event.pk).update(created_at=reopened.created_at + timedelta(days=3))
    # Reopening sets a new due date from the real clock, after NOW: open and not yet due. Its closing
    # entry (the real clock) is after NOW too, so at NOW it has had no response yet.
    Report.objects.filter(pk=overdue.pk).update(acknowledged_at=overdue.created_at + timedelta(hours=12))

    scorecards_refresh(now=NOW)
    card = _card("21090")
    sla = card.indicators["share_closed_within_sla"]
    assert (sla["value"], sla["n"]) == (pytest.approx(1 / 3, abs=1e-4), 3)
    assert sla["low"] < sla["value"] < sla["high"]
    assert card.indicators["reopen_rate"]["value"] == pytest.approx(1 / 3, abs=1e-4)
    assert card.indicators["reopen_rate"]["n"] == 3
    assert card.indicators["share_resolved"]["value"] == 0.5
    assert card.indicators["share_not_accepted"]["value"] == 0.5
    # First responses: 2 and 9 days (closings), 0.5 days (acknowledged), the rest still waiting.
    ack = card.indicators["median_days_to_acknowledge"]
    assert ack["n"] == 5 and ack["value"] == 9.0
    assert card.band is None and card.band_reason == "too_few"


def test_reports_received_adds_up_to_the_public_counted_reports():
    for at in (JONGNO, JONGNO, HAEUNDAE, (127.0286, 37.2636)):
        _report(at=at, age_days=3)
    _report(at=HAEUNDAE, age_days=3, is_sample=True)
    scorecards_refresh(now=NOW)
    total = sum(Scorecard.objects.values_list("reports_received", flat=True))
    assert total == Report.objects.public().counted().count() == 4
    assert _card("31010").reports_received == 1  # 수원시팔달구 is governed by 수원시


def test_every_indicator_present_and_unavailable_ones_say_why():
    scorecards_refresh(now=NOW)
    card = _card("11")
    assert set(card.indicators) == set(OBJECT_KEYS)
    assert card.indicators["mean_rating"] == {"value": None, "reason": "no_reports"}  # no rating yet
    assert card.indicators["reports_received_per_10k"] == {"value": None, "reason": "no_population"}
    assert card.indicators["median_days_to_close"] == {"value": None, "reason": "no_reports"}


def test_equity_across_submunicipal_units(settings):
    settings.SCORECARD_MIN_EQUITY_REPORTS = 3
    dongs = list(Area.objects.filter(level="submunicipal", code__startswith="11010").order_by("code")[:3])
    category = CategoryFactory(sla_days=30)
    points = [dong.geom.point_on_surface for dong in dongs]
    for days in (1, 2, 3):
        _report(at=(points[0].x, points[0].y), age_days=20, closed_after=days, category=category)
    for days in (4, 6, 8):
        _report(at=(points[1].x, points[1].y), age_days=20, closed_after=days, category=category)
    for days in (10, 12):  # too few closed reports: shown, not counted
        _report(at=(points[2].x, points[2].y), age_days=20, closed_after=days, category=category)

    scorecards_refresh(now=NOW)
    card = _card("11010")
    assert card.indicators["equity_spread_days"] == {"value": 4.0, "low": None, "high": None, "n": 2}
    assert card.indicators["equity_ratio"]["value"] == 3.0
    units = {unit["code"]: unit for unit in card.detail["submunicipal_units"]}
    assert units[dongs[0].code]["median_days_to_close"] == 2.0 and units[dongs[0].code]["counted"]
    assert units[dongs[2].code]["closed_reports"] == 2 and not units[dongs[2].code]["counted"]


def test_bands_within_the_peer_group_and_funnel_limits(settings):
    settings.SCORECARD_MIN_REPORTS = 2
    category = CategoryFactory(sla_days=7)
    # 종로구: 2 of 2 within; 해운대구: 0 of 2 within; 수원시 (a 시) is in another group.
    for _ in range(2):
        _report(at=JONGNO, age_days=30, closed_after=1, category=category)
        _report(at=HAEUNDAE, age_days=30, closed_after=10, category=category)
    _report(at=(127.0286, 37.2636), age_days=30, closed_after=1, category=category)

    scorecards_refresh(now=NOW)
    jongno, haeundae, suwon = _card("11010"), _card("21090"), _card("31010")
    # Two members sit at the 25th and 75th percentile (mid-ranks): bands 2 and 4, not 1 and 5.
    assert (jongno.band, haeundae.band) == (2, 4)
    assert (suwon.band, suwon.band_reason) == (None, "too_few")
    funnel = jongno.detail["funnel"]["share_closed_within_sla"]
    # The 자치구 group: 2 of 4 within, p0 = 0.5; n = 2: 0.5 ± 1.959964·√(0.25/2) = 0.5 ± 0.6930 → [0, 1].
    assert funnel["p0"] == 0.5 and funnel["lower95"] == 0.0 and funnel["upper95"] == 1.0
    assert funnel["position"] == "within"


def test_last_quarters_cross_the_year_in_korean_time():
    from datetime import date

    from scorecards.services import last_quarters, quarter_label

    # 2026-01-01 00:30 in Seoul is still 2025 in UTC: the quarter is Seoul's.
    new_year = datetime(2025, 12, 31, 15, 30, tzinfo=ZoneInfo("UTC"))
    quarters = last_quarters(new_year)
    assert len(quarters) == 8 and quarters[-1] == date(2026, 1, 1) and quarters[0] == date(2024, 4, 1)
    assert [quarter_label(q) for q in quarters[-2:]] == ["2025-Q4", "2026-Q1"]


def test_trends_by_quarter_of_filing():
    category = CategoryFactory(sla_days=4)
    # 2026-Q1 (filed 2026-02-21): closed after 1, 3 and 5 days: median 3, 2 of 3 within 4 days.
    for days in (1, 3, 5):
        _report(age_days=100, closed_after=days, category=category)
    # 2026-Q2 (filed 2026-05-30): still open, not yet due: median not reached, no SLA decided yet.
    _report(age_days=2, category=category)
    # 2025-Q4 (filed 2025-11-23): closed after 2 days, as a duplicate (counted, not timed).
    original = _report(age_days=190, closed_after=2, category=category)
    _report(age_days=190, closed_after=2, category=category, outcome="duplicate", duplicate_of=original)
    # Older than the last 8 quarters (filed 2024-03): left out of the trends, counted in the totals.
    _report(age_days=800, closed_after=1, category=category)

    scorecards_refresh(now=NOW)
    card = _card("11010")
    trends = {point["quarter"]: point for point in card.detail["trends"]}
    assert list(trends) == ["2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]
    assert card.detail["trends"][0]["start"] == "2024-07-01"
    q1 = trends["2026-Q1"]
    assert q1["reports_received"] == 3
    assert q1["median_days_to_close"]["value"] == 3.0 and q1["median_days_to_close"]["n"] == 3
    assert (q1["share_closed_within_sla"]["value"], q1["share_closed_within_sla"]["n"]) == (pytest.approx(2 / 3, abs=1e-4), 3)
    q2 = trends["2026-Q2"]
    assert q2["reports_received"] == 1
    assert q2["median_days_to_close"] == {"value": None, "reason": "not_reached"}
    assert q2["share_closed_within_sla"] == {"value": None, "reason": "no_reports"}
    q4 = trends["2025-Q4"]
    assert q4["reports_received"] == 2 and q4["median_days_to_close"]["n"] == 1
    assert trends["2025-Q1"] == {
        "quarter": "2025-Q1", "start": "2025-01-01", "reports_received": 0,
        "median_days_to_close": {"value": None, "reason": "no_reports"},
        "share_closed_within_sla": {"value": None, "reason": "no_reports"},
    }
    assert sum(point["reports_received"] for point in card.detail["trends"]) == card.reports_received - 1
    # A government with no report has the 8 empty quarters too.
    assert [point["reports_received"] for point in _card("21090").detail["trends"]] == [0] * 8


def _support(report: Report, *, after_days: float, confirmed: bool = True) -> None:
    at = report.created_at + timedelta(days=after_days)
    Support.objects.create(report=report, email=f"s{Support.objects.count()}@example.kr", created_at=at,
                           confirmed_at=at if confirmed else None)


def test_relative_reporting_delay_worked_by_hand(settings):
    settings.SCORECARD_MIN_DELAY_REPEATS = 1
    category = CategoryFactory(sla_days=30)
    # 종로구, five incidents (days from the incident's first report; exposure ends at closing or NOW):
    first = _report(age_days=30, category=category)  # a duplicate 2 days later: gap 2, observed
    _report(age_days=28, closed_after=1, category=category, outcome="duplicate", duplicate_of=first)
    second = _report(age_days=30, category=category)  # a support 1 day later: gap 1, observed
    _support(second, after_days=1)
    third = _report(age_days=30, closed_after=4, category=category)  # closed at 4, support at 6: 4 days, censored
    _support(third, after_days=6)
    fourth = _report(age_days=10, category=category)  # never repeated (one unconfirmed support): 10 days, censored
    _support(fourth, after_days=1, confirmed=False)
    fifth = _report(age_days=20, category=category)  # its duplicate was filed a day before it: gap 1, observed
    _report(age_days=21, closed_after=1, category=category, outcome="duplicate", duplicate_of=fifth)
    # 해운대구: one incident, a support after 3 days: gap 3, observed.
    _support(_report(at=HAEUNDAE, age_days=30, category=category), after_days=3)

    scorecards_refresh(now=NOW)
    jongno, haeundae = _card("11010"), _card("21090")
    # 종로구: 3 gaps observed over 2 + 1 + 4 + 10 + 1 = 18 days: 1/6 a day. 해운대구: 1 over 3 days: 1/3.
    # Nationally 4 over 21 days = 4/21. Relative delay = national rate / own rate.
    assert jongno.detail["reporting_delay"]["repeats"] == 3 and jongno.detail["reporting_delay"]["incidents"] == 5
    assert jongno.detail["reporting_delay"]["exposure_days"] == pytest.approx(18)
    assert jongno.detail["reporting_delay"]["national_rate_per_day"] == pytest.approx(4 / 21)
    delay = jongno.indicators["relative_reporting_delay"]
    assert delay["value"] == pytest.approx((4 / 21) / (1 / 6), abs=1e-3) and delay["n"] == 3
    # Its interval: the national rate over the ends of the count's Poisson interval (3: 0.619–8.767) over 18 days.
    assert delay["low"] == pytest.approx((4 / 21) / (8.767 / 18), rel=0.01)
    assert delay["high"] == pytest.approx((4 / 21) / (0.619 / 18), rel=0.03)
    assert haeundae.indicators["relative_reporting_delay"]["value"] == pytest.approx((4 / 21) / (1 / 3), abs=1e-3)
    # Never part of the bands; a minimum count of repeats.
    settings.SCORECARD_MIN_DELAY_REPEATS = 2
    scorecards_refresh(now=NOW)
    assert _card("21090").indicators["relative_reporting_delay"] == {"value": None, "reason": "too_few_repeats"}
    assert _card("11010").indicators["relative_reporting_delay"]["n"] == 3
