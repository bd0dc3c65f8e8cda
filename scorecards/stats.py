"""The statistics of the scorecards, as plain functions (no database): tested against hand-worked figures.

- Wilson score interval for a proportion (Wilson 1927; Newcombe 1998, method 3).
- Funnel-plot control limits: binomial, normal approximation around the peer group's overall
  proportion p0, limits p0 ± z·sqrt(p0(1-p0)/n) (Spiegelhalter 2005), z = 1.96 (95 %) and 3.09 (99.8 %).
- Bands 10/20/40/20/10 % within a peer group, as ACRC's 민원서비스 종합평가.
- Kaplan–Meier with Greenwood's variance (used by the tests; the refresh does the same in SQL).
- Poisson interval of a count (Byar's approximation of the exact, chi-square/Gamma-based interval).
- A reporting rate from first inter-report gaps (exponential, right-censored: events over exposure).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

Z95 = 1.959964
Z998 = 3.090232


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval of successes/n, or None when n is 0."""
    if n <= 0:
        return None
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def funnel_limits(p0: float, n: int) -> dict[str, float]:
    """Control limits at sample size n around the peer group's proportion p0, clipped to [0, 1]."""
    se = math.sqrt(p0 * (1 - p0) / n) if n > 0 else math.inf
    return {
        "lower95": max(0.0, p0 - Z95 * se),
        "upper95": min(1.0, p0 + Z95 * se),
        "lower998": max(0.0, p0 - Z998 * se),
        "upper998": min(1.0, p0 + Z998 * se),
    }


def funnel_position(value: float, limits: dict[str, float]) -> str:
    """Where a value sits against its limits: below_998, below_95, within, above_95 or above_998."""
    if value < limits["lower998"]:
        return "below_998"
    if value < limits["lower95"]:
        return "below_95"
    if value > limits["upper998"]:
        return "above_998"
    if value > limits["upper95"]:
        return "above_95"
    return "within"


def bands(values: dict[object, float]) -> dict[object, int]:
    """Band 1 (best 10 %) to 5 (last 10 %) for higher-is-better values; ties share a band.

    A member's position is the mid-rank of its tie group over the number of members, so the
    band does not depend on the order ties were listed in; cut at 10/30/70/90 %.
    """
    ordered = sorted(values.values(), reverse=True)
    m = len(ordered)
    result = {}
    for key, value in values.items():
        first = ordered.index(value)
        last = m - 1 - ordered[::-1].index(value)
        position = ((first + last) / 2 + 0.5) / m
        # Read from the nearer end, edges inclusive, so the rule is the same for best and worst.
        if position <= 0.5:
            result[key] = 1 if position <= 0.1 + 1e-12 else 2 if position <= 0.3 + 1e-12 else 3
        else:
            result[key] = 5 if 1 - position <= 0.1 + 1e-12 else 4 if 1 - position <= 0.3 + 1e-12 else 3
    return result


def kaplan_meier(durations: Sequence[float], events: Sequence[bool]) -> list[dict[str, float]]:
    """The product-limit curve: one step per distinct event time, with Greenwood's sum."""
    times = sorted(set(t for t, e in zip(durations, events, strict=True) if e))
    survival, greenwood, steps = 1.0, 0.0, []
    for t in times:
        at_risk = sum(1 for d in durations if d >= t)
        deaths = sum(1 for d, e in zip(durations, events, strict=True) if e and d == t)
        survival *= 1 - deaths / at_risk
        greenwood = greenwood + deaths / (at_risk * (at_risk - deaths)) if at_risk > deaths else math.inf
        steps.append({"t": t, "n": at_risk, "d": deaths, "s": survival, "greenwood": greenwood})
    return steps


def log_interval(survival: float, greenwood: float, z: float = Z95) -> tuple[float, float | None]:
    """Pointwise interval of S(t) on the log scale (R survival's default conf.type = "log")."""
    if survival <= 0 or math.isinf(greenwood):
        return 0.0, None
    se = math.sqrt(greenwood)
    return survival * math.exp(-z * se), min(1.0, survival * math.exp(z * se))


def km_quantile(steps: Iterable[dict[str, float]], q: float) -> dict[str, float | None]:
    """The time by which a share q has closed (S ≤ 1 - q), with the interval read off the
    pointwise bounds of the curve: low = first time the lower bound is ≤ 1 - q, high = first time
    the upper bound is ≤ 1 - q (Brookmeyer–Crowley by inverting the pointwise interval, as R's
    quantile.survfit does). None where the curve or a bound never gets there."""
    target = 1 - q + 1e-12
    value = low = high = None
    for step in steps:
        lower, upper = log_interval(step["s"], step["greenwood"])
        if value is None and step["s"] <= target:
            value = step["t"]
        if low is None and lower <= target:
            low = step["t"]
        if high is None and upper is not None and upper <= target:
            high = step["t"]
    return {"value": value, "low": low, "high": high}


def poisson_interval(count: int, z: float = Z95) -> tuple[float, float]:
    """95 % interval of a Poisson count by Byar's approximation of the exact (Gamma-based) interval
    (Breslow & Day 1987): within 3 % of the exact limits at a count of 3, 0.5 % from 10 on."""
    x = count
    low = 0.0 if x == 0 else x * (1 - 1 / (9 * x) - z / (3 * math.sqrt(x))) ** 3
    high = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * math.sqrt(x + 1))) ** 3
    return low, high


def exponential_rate(events: int, exposure: float) -> dict[str, float | None] | None:
    """Maximum-likelihood rate of exponential waiting times with right-censoring: events / total
    exposure; its 95 % interval from the count's Poisson interval over the same exposure."""
    if exposure <= 0:
        return None
    low, high = poisson_interval(events)
    return {"value": events / exposure, "low": low / exposure, "high": high / exposure}
