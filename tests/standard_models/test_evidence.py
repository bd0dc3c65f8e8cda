"""The evidence tier, from the indicators the model declares: each kind's "has data" rule, the
90-day boundary (89 days after the start: not yet; 90: measured) and 2 against 3 measured adopters."""

from __future__ import annotations

import copy
from datetime import datetime, time, timedelta

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from campaigns.models import Campaign, Entry, EntryStatus
from reports.models import Category, Report
from standard_models.selectors import _adoption_scope, indicator_has_data, model_evidence_tier, origin_scope
from standard_models.services import model_adopt, model_publish
from tests.factories import HAEUNDAE, JONGNO, SUWON_PALDAL, CategoryFactory, make_report
from tests.standard_models.conftest import DETAILS, SUWON, government, staff_of
from tests.standard_models.test_services import JEONJU_POINT

DAYS = 100  # the start, this many days ago: both 90-day windows have passed


def _at(start_on, days: int) -> datetime:
    return timezone.make_aware(datetime.combine(start_on, time(12))) + timedelta(days=days)


def _seed(*, point, start_on, category: Category, campaign: Campaign | None, other: Category) -> dict:
    """What makes a government measured: a report (any category) 30 days before its start, open past
    its target; after it, a report of the model's category and a validated entry of its campaign."""
    made = {"before": make_report(at=point, category=other, created_at=_at(start_on, -30)),
            "after": make_report(at=point, category=category, created_at=_at(start_on, 10), answers={"kind": "step"})}
    if campaign is not None:
        made["entry"] = Entry.objects.create(campaign=campaign, entry_type="shop", location=Point(*point, srid=4326),
                                             status=EntryStatus.VALIDATED, created_at=_at(start_on, 10))
    return made


@pytest.fixture
def measured_origin(settings, published, suwon_staff, campaign):
    """Version 2 from 수원시's campaign as if it had started DAYS ago, with figures on both sides.
    DETAILS declares entries_validated, reports_by_category (step-free-access) and
    scorecard:share_closed_within_sla."""
    settings.SCORECARD_MIN_WINDOW_REPORTS = 1
    start_on = timezone.localdate() - timedelta(days=DAYS)
    Campaign.objects.filter(pk=campaign.pk).update(starts_at=_at(start_on, 0) - timedelta(hours=12))
    campaign.refresh_from_db()
    category = Category.objects.get(code="step-free-access")
    model_publish(actor=suwon_staff, government=government(SUWON), slug="suwon-barrier-free", campaign=campaign,
                  categories=[category], details=copy.deepcopy(DETAILS))
    made = _seed(point=SUWON_PALDAL, start_on=start_on, category=category, campaign=campaign, other=CategoryFactory(sla_days=7))
    return {"model": published.model, "start_on": start_on, **made}


def test_each_kind_of_indicator_has_data_by_its_own_rule(measured_origin):
    model = measured_origin["model"]
    scope = origin_scope(model=model, version=model.versions.order_by("-number").first())
    checks = {key: [indicator_has_data(indicator={"key": key, "category": category}, scope=scope, side=side) for side in ("before", "after")]
              for key, category in (("entries_validated", ""), ("entries_by_type", ""), ("reports_by_category", "step-free-access"),
                                    ("reports_by_category_and_status", ""), ("scorecard:share_closed_within_sla", ""),
                                    ("scorecard:reports_received", ""), ("scorecard:mean_rating", ""))}
    assert checks == {
        "entries_validated": [True, True], "entries_by_type": [True, True], "reports_by_category": [True, True],
        "reports_by_category_and_status": [True, True],
        # Both reports are open past their target: a share of 0, which is data.
        "scorecard:share_closed_within_sla": [True, True], "scorecard:reports_received": [True, True],
        "scorecard:mean_rating": [None, None],  # not computed over a window: does not count
    }
    Entry.objects.filter(pk=measured_origin["entry"].pk).update(status=EntryStatus.SUBMITTED)
    assert indicator_has_data(indicator={"key": "entries_validated"}, scope=scope, side="after") is False
    assert indicator_has_data(indicator={"key": "entries_by_type"}, scope=scope, side="after") is True
    assert model_evidence_tier(model=model) == "documented"


def test_measured_once_90_days_have_passed_with_data_on_both_sides(measured_origin):
    model, start_on = measured_origin["model"], measured_origin["start_on"]
    assert model_evidence_tier(model=model, today=start_on + timedelta(days=89)) == "documented"
    assert model_evidence_tier(model=model, today=start_on + timedelta(days=90)) == "measured"
    assert model_evidence_tier(model=model) == "measured"
    # No report of the model's category after the start: reports_by_category has no data.
    Report.objects.filter(pk=measured_origin["after"].pk).update(created_at=_at(start_on, 95))
    assert model_evidence_tier(model=model) == "documented"
    Report.objects.filter(pk=measured_origin["after"].pk).update(created_at=_at(start_on, 10))
    # Nothing reported in the 90 days before: no baseline.
    Report.objects.filter(pk=measured_origin["before"].pk).update(created_at=_at(start_on, -91))
    assert model_evidence_tier(model=model) == "documented"


def test_replicated_needs_three_measured_adopters(measured_origin):
    model, start_on = measured_origin["model"], measured_origin["start_on"]
    other = CategoryFactory(sla_days=7)
    adopters = []
    for code, point in (("35010", JEONJU_POINT), ("11010", JONGNO), ("21090", HAEUNDAE)):
        adoption = model_adopt(model=model, government=government(code), starts_on=start_on, actor=staff_of(code, username=f"staff-{code}"))
        category = adoption.adopted_categories.get().category
        adopters.append(_seed(point=point, start_on=start_on, category=category, campaign=adoption.campaign, other=other))
    assert model_evidence_tier(model=model) == "replicated"
    assert all(_adoption_scope(a).categories for a in model.adoptions.all())
    # The third adopter's entries were never validated: two measured adopters, the origin measured.
    Entry.objects.filter(pk=adopters[2]["entry"].pk).update(status=EntryStatus.NEEDS_WORK)
    assert model_evidence_tier(model=model) == "measured"


def test_a_model_declaring_no_indicator_stays_documented(measured_origin, suwon_staff, campaign):
    model_publish(actor=suwon_staff, government=government(SUWON), slug="suwon-barrier-free", campaign=campaign,
                  categories=[Category.objects.get(code="step-free-access")], details={**copy.deepcopy(DETAILS), "indicators": []})
    assert model_evidence_tier(model=measured_origin["model"]) == "documented"
