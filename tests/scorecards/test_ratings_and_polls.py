"""The scorecard entries that read ratings and polls: mean rating, not-solved rate, polls held."""

from __future__ import annotations

from datetime import timedelta

import pytest

from polls.services import poll_create
from ratings.services import rating_submit, rating_token
from reports.services import report_change_status
from scorecards.models import Scorecard
from scorecards.services import scorecards_refresh
from tests.factories import CategoryFactory, make_report
from tests.polls.factories import AFTER, CLOSES, OPENS, area, make_poll

pytestmark = pytest.mark.django_db


def _rated(category, score, solved):
    report = make_report(category=category, created_at=OPENS - timedelta(days=10))
    event = report_change_status(report=report, to_status="closed", outcome="resolved")
    rating_submit(token=rating_token(report=report, event=event), score=score, solved=solved, now=OPENS)


def test_ratings_and_polls_reach_the_scorecard():
    category = CategoryFactory()
    for score, solved in ((5, True), (4, True), (1, False), (2, True)):
        _rated(category, score, solved)
    make_poll()  # closed at AFTER
    make_poll(is_example=True)  # never counted
    poll_create(actor=None, government=area("11010"), question="아직 열려 있는 투표", choices=[{"label": "가"}, {"label": "나"}],
                opens_at=OPENS, closes_at=AFTER + timedelta(days=30), now=OPENS)
    scorecards_refresh(now=AFTER)
    jongno = Scorecard.objects.get(area__code="11010").indicators
    assert jongno["mean_rating"]["value"] == 3.0 and jongno["mean_rating"]["n"] == 4
    assert 1.0 <= jongno["mean_rating"]["low"] < 3.0 < jongno["mean_rating"]["high"] <= 5.0
    assert jongno["not_solved_rate"]["value"] == 0.25 and jongno["not_solved_rate"]["n"] == 4
    assert jongno["polls_held"] == {"value": 1, "low": None, "high": None, "n": 1}
    haeundae = Scorecard.objects.get(area__code="21090").indicators
    assert haeundae["mean_rating"] == {"value": None, "reason": "no_reports"}
    assert haeundae["polls_held"]["value"] == 0


def test_a_poll_is_held_once_closed():
    make_poll()
    scorecards_refresh(now=CLOSES - timedelta(days=1))
    assert Scorecard.objects.get(area__code="11010").indicators["polls_held"]["value"] == 0
