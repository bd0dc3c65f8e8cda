"""Results by area: an area with fewer than 10 ballots is merged into its parent (동 -> 구 -> 시도), in SQL."""

from __future__ import annotations

import pytest

from polls.models import Ballot
from polls.selectors import poll_results_by_area
from tests.polls.factories import dong, make_poll

pytestmark = pytest.mark.django_db


def _ballots(poll, where, choice, count):
    Ballot.objects.bulk_create([
        Ballot(poll=poll, choices=[choice], receipt=f"{where.code if where else 'none'}-{choice}-{i}", area=where) for i in range(count)
    ])


def _shown(results):
    return {(r.code, r.level): (r.ballots, r.tally) for r in results}


def test_small_dongs_merge_into_their_gu_then_province():
    poll = make_poll()
    cheongun, sajik, samcheong = dong("청운효자동"), dong("사직동"), dong("삼청동")
    jung_dong = dong("소공동", "11020")  # 서울 중구
    _ballots(poll, cheongun, 1, 12)  # 12: shown as itself
    _ballots(poll, sajik, 2, 6)  # 6 + 5 in 종로구 outside shown 동: 11, shown as 종로구
    _ballots(poll, samcheong, 1, 5)
    _ballots(poll, jung_dong, 2, 4)  # 4 in 중구, 4 in Seoul outside what is shown: to the rest
    _ballots(poll, None, 1, 10)  # voters of no declared area
    results = poll_results_by_area(poll=poll)
    shown = _shown(results)
    assert shown[(cheongun.code, "submunicipal")] == (12, {1: 12, 2: 0})
    assert shown[("11010", "municipal")] == (11, {1: 5, 2: 6})
    assert ("11", "province") not in shown
    assert shown[("", "")] == (14, {1: 10, 2: 4})
    assert sum(r.ballots for r in results) == 37


def test_a_small_rest_takes_the_smallest_shown_area():
    # Otherwise 3 ballots could be had by subtracting the shown areas from the total.
    poll = make_poll()
    _ballots(poll, dong("청운효자동"), 1, 12)
    _ballots(poll, dong("우1동", "21090"), 2, 10)
    _ballots(poll, None, 2, 3)
    shown = _shown(poll_results_by_area(poll=poll))
    assert shown == {(dong("청운효자동").code, "submunicipal"): (12, {1: 12, 2: 0}), ("", ""): (13, {1: 0, 2: 13})}


def test_no_area_is_shown_for_fewer_than_ten_ballots():
    poll = make_poll()
    _ballots(poll, dong("청운효자동"), 1, 9)
    _ballots(poll, None, 2, 3)
    results = poll_results_by_area(poll=poll)
    assert _shown(results) == {("", ""): (12, {1: 9, 2: 3})}


def test_enough_ballots_in_a_province_show_the_province():
    poll = make_poll()
    _ballots(poll, dong("소공동", "11020"), 1, 6)
    _ballots(poll, dong("명동", "11020"), 2, 2)
    _ballots(poll, dong("청운효자동"), 2, 4)
    _ballots(poll, dong("우1동", "21090"), 1, 10)
    shown = _shown(poll_results_by_area(poll=poll))
    assert shown == {("11", "province"): (12, {1: 6, 2: 6}), (dong("우1동", "21090").code, "submunicipal"): (10, {1: 10, 2: 0})}
