"""The incremental refresh: triggers mark the governments whose reports changed; only those rows are recomputed."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from geodata.models import Area
from reports.models import Report, Support
from reports.services import report_change_status
from scorecards.models import ChangedGovernment, Scorecard
from scorecards.services import scorecards_refresh, scorecards_refresh_changed
from tests.factories import HAEUNDAE, JONGNO, CategoryFactory, make_report

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=ZoneInfo("Asia/Seoul"))
LATER = NOW + timedelta(hours=1)


def _closed(at, *, days: float, category) -> Report:
    report = make_report(at=at, category=category, created_at=NOW - timedelta(days=20))
    report_change_status(report=report, to_status="closed", outcome="resolved")
    Report.objects.filter(pk=report.pk).update(closed_at=report.created_at + timedelta(days=days))
    return report


def _marked() -> set[str]:
    ids = set(ChangedGovernment.objects.values_list("area_id", flat=True))
    return set(Area.objects.filter(id__in=ids).values_list("code", flat=True))


def _rows() -> dict[str, tuple]:
    return {code: (at, indicators, band) for code, at, indicators, band in
            Scorecard.objects.values_list("area__code", "computed_at", "indicators", "band")}


def test_a_change_to_one_governments_report_refreshes_that_row_and_not_the_others():
    category = CategoryFactory(sla_days=7)
    # Everything closed before NOW, so no figure of the others moves with the clock.
    _closed(HAEUNDAE, days=2, category=category)
    _closed(HAEUNDAE, days=9, category=category)
    _closed(JONGNO, days=1, category=category)
    open_one = make_report(at=JONGNO, category=category, created_at=NOW - timedelta(days=20))
    Report.objects.filter(pk=open_one.pk).update(status="closed", outcome="resolved",
                                                 closed_at=open_one.created_at + timedelta(days=12))
    assert _marked() == {"11010", "21090"}
    assert scorecards_refresh(now=NOW) == 243
    assert not ChangedGovernment.objects.exists()  # the full recompute took every mark
    before = _rows()

    # 종로구's second report is reopened: closed at 12 days no more, open now.
    Report.objects.filter(pk=open_one.pk).update(status="submitted", outcome="", closed_at=None)
    assert _marked() == {"11010"}
    assert scorecards_refresh_changed(now=LATER) == 1
    after = _rows()
    assert after["11010"][0] == LATER
    assert before["11010"][1]["p90_days_to_close"]["value"] == 12.0
    assert after["11010"][1]["p90_days_to_close"] == {"value": None, "reason": "not_reached"}
    assert after["11010"][1]["share_closed_within_sla"]["n"] == 2  # still counted: open and overdue
    others = set(before) - {"11010"}
    assert len(others) == 242
    assert all(after[code] == before[code] for code in others)
    assert scorecards_refresh_changed(now=LATER) == 0  # nothing changed since

    # The row equals what a full recompute at the same moment gives (the others did not move), but
    # for the peer group's curve: kept as stored until the night (it reads every peer's reports).
    incremental = Scorecard.objects.get(area__code="11010", area__is_current=True)
    haeundae = Scorecard.objects.get(area__code="21090", area__is_current=True)
    assert incremental.detail["km_close_peer"] == haeundae.detail["km_close_peer"]
    scorecards_refresh(now=LATER)
    full = Scorecard.objects.get(area__code="11010", area__is_current=True)
    assert incremental.indicators == full.indicators
    assert len(full.detail["km_close_peer"]) == len(incremental.detail["km_close_peer"]) - 1  # the reopened report's step
    for detail in (incremental.detail, full.detail):
        detail.pop("km_close_peer")
    assert incremental.detail == full.detail
    assert (incremental.band, incremental.reports_received) == (full.band, full.reports_received)


def test_rerouting_marks_both_governments_and_a_support_marks_its_incident():
    category = CategoryFactory()
    report = make_report(at=JONGNO, category=category, created_at=NOW - timedelta(days=1))
    scorecards_refresh(now=NOW)
    haeundae = Area.objects.get(code="21090", is_current=True)
    Report.objects.filter(pk=report.pk).update(local_government=haeundae)
    assert _marked() == {"11010", "21090"}
    assert scorecards_refresh_changed(now=LATER) == 2
    rows = _rows()
    assert (Scorecard.objects.get(area=haeundae).reports_received, rows["11010"][0]) == (1, LATER)
    assert Scorecard.objects.get(area__code="11010", area__is_current=True).reports_received == 0

    # A duplicate in 종로구 of a report in 해운대구 marks both; a support on the duplicate marks 해운대구.
    duplicate = make_report(at=JONGNO, category=category)
    Report.objects.filter(pk=duplicate.pk).update(duplicate_of=report)
    assert _marked() == {"11010", "21090"}
    ChangedGovernment.objects.all().delete()
    Support.objects.create(report=duplicate, email="me-too@example.kr", confirmed_at=LATER)
    assert _marked() == {"21090"}


def test_bands_of_peers_follow_a_changed_row(settings):
    settings.SCORECARD_MIN_REPORTS = 1
    category = CategoryFactory(sla_days=7)
    _closed(JONGNO, days=1, category=category)  # within
    late = _closed(HAEUNDAE, days=10, category=category)  # late
    scorecards_refresh(now=NOW)
    bands = {code: band for code, (_at, _i, band) in _rows().items() if band}
    assert bands == {"11010": 2, "21090": 4}
    # 해운대구's report was in fact closed within the target: the two tie, and both move to band 3.
    Report.objects.filter(pk=late.pk).update(closed_at=late.created_at + timedelta(days=1))
    assert scorecards_refresh_changed(now=LATER) == 1
    rows = _rows()
    assert (rows["11010"][2], rows["21090"][2]) == (3, 3)
    assert rows["11010"][0] == NOW  # its figures were not recomputed, only its band follows


def test_the_first_incremental_refresh_of_a_fresh_install_computes_everything():
    make_report(at=JONGNO, category=CategoryFactory(), created_at=NOW - timedelta(days=1))
    assert not Scorecard.objects.exists()
    assert scorecards_refresh_changed(now=NOW) == 243
    assert not ChangedGovernment.objects.exists()
