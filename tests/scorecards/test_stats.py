"""The scorecards' statistics against figures worked by hand or published."""

import math

import pytest

from scorecards import stats


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        # Newcombe (1998), Statistics in Medicine 17:857-872, Table II, method 3 (Wilson score).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_newcombe_table(successes, n, low, high):
    computed = stats.wilson(successes, n)
    assert computed[0] == pytest.approx(low, abs=5e-5)
    assert computed[1] == pytest.approx(high, abs=5e-5)


def test_wilson_of_nothing_is_none():
    assert stats.wilson(0, 0) is None


def test_funnel_limits_by_hand():
    # p0 = 0.6, n = 100: se = sqrt(0.6 * 0.4 / 100) = 0.0489898;
    # 95 %: 0.6 ± 1.959964 * 0.0489898 = 0.6 ± 0.0960183; 99.8 %: 0.6 ± 3.090232 * 0.0489898 = 0.6 ± 0.1513899.
    limits = stats.funnel_limits(0.6, 100)
    assert limits["lower95"] == pytest.approx(0.5039817, abs=1e-6)
    assert limits["upper95"] == pytest.approx(0.6960183, abs=1e-6)
    assert limits["lower998"] == pytest.approx(0.4486101, abs=1e-6)
    assert limits["upper998"] == pytest.approx(0.7513899, abs=1e-6)
    assert stats.funnel_position(0.45, limits) == "below_95"
    assert stats.funnel_position(0.44, limits) == "below_998"
    assert stats.funnel_position(0.6, limits) == "within"
    assert stats.funnel_position(0.70, limits) == "above_95"
    assert stats.funnel_position(0.76, limits) == "above_998"


def test_funnel_limits_are_clipped_to_proportions():
    limits = stats.funnel_limits(0.95, 5)
    assert limits["upper95"] == 1.0 and limits["lower998"] >= 0.0


def test_bands_follow_10_20_40_20_10():
    values = {name: 1 - index / 10 for index, name in enumerate("abcdefghij")}
    assert [stats.bands(values)[name] for name in "abcdefghij"] == [1, 2, 2, 3, 3, 3, 3, 4, 4, 5]


def test_tied_values_share_a_band():
    result = stats.bands({"a": 0.9, "b": 0.5, "c": 0.5, "d": 0.5, "e": 0.1})
    assert result["b"] == result["c"] == result["d"] == 3
    assert result["a"] == 1 and result["e"] == 5


# Worked by hand: six reports, durations in days, * = closed, + = still open (censored):
#   1*  2*  2+  3*  4+  5*
# t=1: at risk 6, closed 1: S = 5/6;           Greenwood 1/(6·5) = 0.033333
# t=2: at risk 5, closed 1: S = 5/6·4/5 = 2/3; Greenwood + 1/(5·4) = 0.083333
# t=3: at risk 3, closed 1: S = 2/3·2/3 = 4/9; Greenwood + 1/(3·2) = 0.25
# t=5: at risk 1, closed 1: S = 0
# Median: the first t with S ≤ 0.5 = 3; 90th percentile: first S ≤ 0.1 = 5.
# 95 % log interval at t=2: 2/3·exp(-1.96·√0.083333) = 0.3786 ≤ 0.5, so the median's low is 2;
# the upper bound (4/9·exp(1.96·0.5) = 1.18 → 1) never drops to 0.5 before S = 0: high unknown.
KM_DURATIONS = [1, 2, 2, 3, 4, 5]
KM_EVENTS = [True, True, False, True, False, True]


def test_kaplan_meier_worked_by_hand():
    steps = stats.kaplan_meier(KM_DURATIONS, KM_EVENTS)
    assert [(s["t"], s["n"], s["d"]) for s in steps] == [(1, 6, 1), (2, 5, 1), (3, 3, 1), (5, 1, 1)]
    assert [s["s"] for s in steps] == pytest.approx([5 / 6, 2 / 3, 4 / 9, 0.0])
    assert [s["greenwood"] for s in steps[:3]] == pytest.approx([1 / 30, 1 / 12, 0.25])
    assert math.isinf(steps[3]["greenwood"])
    assert stats.log_interval(2 / 3, 1 / 12)[0] == pytest.approx(0.3786, abs=1e-4)
    assert stats.km_quantile(steps, 0.5) == {"value": 3, "low": 2, "high": None}
    assert stats.km_quantile(steps, 0.9)["value"] == 5


def test_poisson_interval_against_the_exact_table():
    # Exact 95 % limits of a Poisson count (e.g. Geigy Scientific Tables; Ulm 1990): Byar's approximation
    # within 3 % at a count of 3 and within 0.5 % from 10 on.
    from scorecards.stats import exponential_rate, poisson_interval

    for count, (low, high), rel in ((3, (0.619, 8.767), 0.03), (10, (4.795, 18.39), 0.005), (30, (20.24, 42.83), 0.005)):
        approx = poisson_interval(count)
        assert approx[0] == pytest.approx(low, rel=rel) and approx[1] == pytest.approx(high, rel=rel)
    assert poisson_interval(0) == (0.0, pytest.approx(3.689, rel=0.01))
    # 3 first gaps observed over 18 days of exposure: 1/6 a day, the count's interval over 18 days.
    rate = exponential_rate(3, 18.0)
    assert rate["value"] == pytest.approx(1 / 6)
    assert (rate["low"], rate["high"]) == (pytest.approx(0.619 / 18, rel=0.03), pytest.approx(8.767 / 18, rel=0.01))
    assert exponential_rate(3, 0.0) is None
