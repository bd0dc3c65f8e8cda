"""The full recompute against reports whose timelines are set by hand (a frozen `now` is passed in)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from geodata.models import Area
from reports.models import Report, ReportEvent
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
