"""The scorecards count proposals' obligations: overdue now, and answered by the original deadline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from proposals.services import proposal_answer, proposal_create, proposal_support
from scorecards.models import Scorecard
from scorecards.services import scorecards_refresh
from tests.factories import JONGNO, UserFactory
from tests.polls.factories import NOW, area
from tests.proposals.factories import jongno_resident, make_proposal, small_thresholds, staff_member

pytestmark = pytest.mark.django_db


def _card(code: str) -> dict:
    return Scorecard.objects.get(area=area(code)).indicators


def test_obligations_feed_the_scorecards_and_examples_never_count():
    small_thresholds(department=(1, 30))
    officer = staff_member()
    on_time, late, silent = make_proposal(), make_proposal(), make_proposal()
    example = proposal_create(author=UserFactory(), lon=JONGNO[0], lat=JONGNO[1], title="예시", body="예시", is_example=True, now=NOW)
    for proposal in (on_time, late, silent, example):
        proposal_support(proposal=proposal, user=jongno_resident(), now=NOW)
    proposal_answer(proposal=on_time, actor=officer, kind="under_review", text="검토", next_date=date(2026, 7, 20), now=NOW + timedelta(days=10))
    proposal_answer(proposal=late, actor=officer, kind="declined", text="예산 없음", now=NOW + timedelta(days=40))
    scorecards_refresh(now=NOW + timedelta(days=45))
    card = _card("11010")
    # Due or answered: all three; by the deadline: one. Overdue now: the silent one only.
    assert card["proposals_answered_by_deadline"]["n"] == 3
    assert card["proposals_answered_by_deadline"]["value"] == pytest.approx(1 / 3, abs=1e-4)
    assert card["obligations_overdue"] == {"value": 1, "low": None, "high": None, "n": 3}
    assert _card("21090")["proposals_answered_by_deadline"] == {"value": None, "reason": "no_obligations"}
    assert _card("21090")["obligations_overdue"]["value"] == 0


def test_nothing_is_due_before_the_deadline():
    small_thresholds(department=(1, 30))
    proposal_support(proposal=make_proposal(), user=jongno_resident(), now=NOW)
    scorecards_refresh(now=NOW + timedelta(days=5))  # one refresh a test: its temp tables drop at commit
    assert _card("11010")["proposals_answered_by_deadline"] == {"value": None, "reason": "no_obligations"}
    assert _card("11010")["obligations_overdue"] == {"value": 0, "low": None, "high": None, "n": 1}
