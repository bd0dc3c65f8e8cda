"""Writes of the scorecards: the full recompute, set-based in PostgreSQL over every government at once.

Python only glues: it names the peer groups, turns the aggregated rows into indicator objects
(Wilson intervals, funnel limits, bands) and writes one Scorecard row per current government.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from campaigns.models import Campaign
from geodata.models import Area
from reports.models import Report
from scorecards import stats
from scorecards.indicators import BY_KEY, HEADLINE, OBJECT_KEYS, OUTCOME_KEYS
from scorecards.models import Population, Scorecard
from scorecards.peers import peer_group_of

CURVE_LAST_DAY = 365
EPS = 1e-9

# One row per counted report with what every indicator needs. Reports closed as duplicates are
# flagged out of the time indicators (`timed`) but stay in the counts.
BASE_SQL = """
CREATE TEMP TABLE sc_base ON COMMIT DROP AS
SELECT r.id, g.gov_id, g.peer_group, r.submunicipal_unit_id AS dong_id, r.status, r.outcome,
       closed, NOT (closed AND r.outcome = 'duplicate') AS timed,
       GREATEST(0, extract(epoch FROM CASE WHEN closed THEN r.closed_at ELSE %(now)s END - r.created_at) / 86400.0)
           AS close_days,
       responded_at <= %(now)s AS responded,
       GREATEST(0, extract(epoch FROM LEAST(responded_at, %(now)s) - r.created_at) / 86400.0) AS response_days,
       closed AND r.closed_at <= r.due_at AS within_sla,
       closed OR r.due_at < %(now)s AS sla_decided,
       COALESCE(e.reopened, false) AS reopened
FROM ({public}) r
JOIN sc_gov g ON g.gov_id = r.local_government_id
LEFT JOIN (
    SELECT report_id, min(created_at) FILTER (WHERE kind = 'status') AS first_status_at,
           bool_or(kind = 'reopened' AND created_at <= %(now)s) AS reopened
    FROM reports_reportevent GROUP BY report_id
) e ON e.report_id = r.id
-- What happened after `now` has not happened yet (a recompute "as of" a past moment).
CROSS JOIN LATERAL (SELECT r.status = 'closed' AND r.closed_at <= %(now)s AS closed) c
CROSS JOIN LATERAL (SELECT LEAST(r.acknowledged_at, r.closed_at, e.first_status_at) AS responded_at) f
WHERE r.created_at <= %(now)s
"""

COUNTS_SQL = """
SELECT gov_id, count(*),
       count(*) FILTER (WHERE closed),
       count(*) FILTER (WHERE closed AND timed),
       count(*) FILTER (WHERE timed AND sla_decided),
       count(*) FILTER (WHERE timed AND sla_decided AND within_sla),
       count(*) FILTER (WHERE closed OR reopened),
       count(*) FILTER (WHERE reopened),
       {outcomes}
FROM sc_base GROUP BY gov_id
"""

# Kaplan–Meier for every unit at once: events and censorings grouped by time, the number at risk
# as a reverse running count, the product-limit estimate as exp of a running sum of logs (a step
# where everyone at risk closes sets it to 0), and Greenwood's running sum for its variance.
KM_STEPS_SQL = """
CREATE TEMP TABLE {table} ON COMMIT DROP AS
SELECT {units}, t, d, n, s, gw,
       CASE WHEN s > 0 AND gw IS NOT NULL THEN s * exp(-%(z)s * sqrt(gw)) ELSE 0 END AS lower_s,
       CASE WHEN s > 0 AND gw IS NOT NULL THEN LEAST(1, s * exp(%(z)s * sqrt(gw))) END AS upper_s
FROM (
    SELECT {units}, t, d, n,
           CASE WHEN bool_or(d = n) OVER w THEN 0
                ELSE exp(COALESCE(sum(CASE WHEN d < n THEN ln(1 - d::float8 / n) END) OVER w, 0)) END AS s,
           CASE WHEN bool_or(d = n) OVER w THEN NULL
                ELSE COALESCE(sum(CASE WHEN d < n THEN d::float8 / (n::float8 * (n - d)) END) OVER w, 0) END AS gw
    FROM (
        SELECT {units}, t, d, sum(c) OVER (PARTITION BY {units} ORDER BY t DESC) AS n
        FROM (
            SELECT {units}, {duration} AS t, count(*) FILTER (WHERE {event}) AS d, count(*) AS c
            FROM sc_base WHERE timed GROUP BY {units}, {duration}
        ) grouped
    ) at_risk
    WHERE d > 0
    WINDOW w AS (PARTITION BY {units} ORDER BY t ROWS UNBOUNDED PRECEDING)
) curve
"""
KM_QUANTILES_SQL = """
SELECT {units}, sum(d),
       min(t) FILTER (WHERE s <= 0.5 + %(eps)s), min(t) FILTER (WHERE lower_s <= 0.5 + %(eps)s),
       min(t) FILTER (WHERE upper_s <= 0.5 + %(eps)s),
       min(t) FILTER (WHERE s <= 0.1 + %(eps)s), min(t) FILTER (WHERE lower_s <= 0.1 + %(eps)s),
       min(t) FILTER (WHERE upper_s <= 0.1 + %(eps)s)
FROM {table} GROUP BY {units}
"""
# The curve at the end of each day (the last step of the day), up to a year.
KM_CURVE_SQL = """
SELECT {units}, LEAST(ceil(t)::int, %(last)s) AS day, min(s),
       (array_agg(lower_s ORDER BY t DESC))[1], (array_agg(upper_s ORDER BY t DESC))[1]
FROM {table} GROUP BY {units}, day ORDER BY day
"""


def scorecards_refresh(*, now: datetime | None = None) -> int:
    """Recompute every current local government's scorecard; returns how many were written.

    The worker can schedule this (nightly, or after bursts of status changes); `refresh_scorecards`
    runs it now. Readers see the previous rows until the new ones are committed.
    """
    now = now or timezone.now()
    # Boundaries are megabytes: never load them here.
    governments = list(Area.objects.current().local_governments().defer("geom").order_by("code"))
    peer = {area.pk: peer_group_of(level=area.level, name=area.name) for area in governments}
    with transaction.atomic(), connection.cursor() as cursor:
        # Two refreshes at once (the worker and the command) would both rewrite the rows: take turns.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('scorecards_refresh'))")
        cursor.execute("CREATE TEMP TABLE sc_gov (gov_id bigint PRIMARY KEY, peer_group text) ON COMMIT DROP")
        if peer:
            cursor.execute(
                "INSERT INTO sc_gov VALUES " + ",".join(["(%s, %s)"] * len(peer)),
                [value for item in peer.items() for value in item],
            )
        public_sql, public_params = (
            Report.objects.public().counted().order_by()
            .values("id", "local_government_id", "submunicipal_unit_id", "status", "outcome", "created_at",
                    "acknowledged_at", "closed_at", "due_at")
            .query.sql_with_params()
        )
        # The queryset's own placeholders are positional: inline them through mogrify.
        public_sql = cursor.mogrify(public_sql, public_params).decode().replace("%", "%%")
        cursor.execute(BASE_SQL.format(public=public_sql), {"now": now})
        cursor.execute("ANALYZE sc_base")
        counts = _counts(cursor)
        close_gov = _km(cursor, "sc_km_close", "gov_id", "close_days", "closed", curve=True)
        close_peer = _km(cursor, "sc_km_peer", "peer_group", "close_days", "closed", curve=True)
        response_gov = _km(cursor, "sc_km_response", "gov_id", "response_days", "responded")
        close_dong = _km(cursor, "sc_km_dong", "gov_id, dong_id", "close_days", "closed")
        population = _population()
        campaigns_run = _campaigns_run(now)
        rows = _rows(governments, peer, counts, close_gov, close_peer, response_gov, close_dong, population, campaigns_run, now)
        Scorecard.objects.all().delete()
        Scorecard.objects.bulk_create(rows)
    return len(rows)


def _counts(cursor) -> dict[int, dict[str, int]]:
    names = ["received", "closed", "closed_timed", "sla_n", "sla_met", "ever_closed", "reopened"]
    outcomes = list(OUTCOME_KEYS)
    cursor.execute(COUNTS_SQL.format(outcomes=", ".join(f"count(*) FILTER (WHERE closed AND outcome = '{o}')" for o in outcomes)))
    result = {}
    for row in cursor.fetchall():
        result[row[0]] = dict(zip(names + outcomes, row[1:], strict=True))
    return result


def _km(cursor, table: str, units: str, duration: str, event: str, curve: bool = False) -> dict:
    """Quantiles (and the daily curve) of one Kaplan–Meier estimate per unit."""
    params = {"z": stats.Z95, "eps": EPS, "last": CURVE_LAST_DAY}
    cursor.execute(KM_STEPS_SQL.format(table=table, units=units, duration=duration, event=event), params)
    width = len(units.split(","))
    result: dict = defaultdict(dict)
    cursor.execute(KM_QUANTILES_SQL.format(table=table, units=units), params)
    for row in cursor.fetchall():
        key = row[0] if width == 1 else tuple(row[:width])
        events, median, median_low, median_high, p90, p90_low, p90_high = row[width:]
        result[key]["events"] = int(events)
        result[key]["median"] = {"value": median, "low": median_low, "high": median_high}
        result[key]["p90"] = {"value": p90, "low": p90_low, "high": p90_high}
    if curve:
        cursor.execute(KM_CURVE_SQL.format(table=table, units=units), params)
        for row in cursor.fetchall():
            day, survival, lower, upper = row[width:]
            result[row[0]].setdefault("curve", []).append(
                {"day": day, "s": _round(survival, 4), "low": _round(lower, 4), "high": _round(upper, 4)}
            )
    cursor.execute(f"DROP TABLE {table}")
    return result


def _population() -> dict[int, int]:
    """The latest imported month's population of each government."""
    latest = Population.objects.order_by("-month").values_list("month", flat=True).first()
    if latest is None:
        return {}
    return dict(Population.objects.filter(month=latest).values_list("area_id", "population"))


def _round(value, digits: int = 3):
    return None if value is None else round(float(value), digits)


def _missing(reason: str) -> dict:
    return {"value": None, "reason": reason}


def _proportion(successes: int, n: int) -> dict:
    if not n:
        return _missing("no_reports")
    low, high = stats.wilson(successes, n)
    return {"value": _round(successes / n, 4), "low": _round(low, 4), "high": _round(high, 4), "n": n}


def _days(quantile: dict | None, n: int) -> dict:
    if not n:
        return _missing("no_reports")
    if quantile is None or quantile["value"] is None:
        return _missing("not_reached")
    return {"value": _round(quantile["value"]), "low": _round(quantile["low"]), "high": _round(quantile["high"]), "n": n}


def _per_10k(received: int, population: int | None) -> dict:
    if not population:
        return _missing("no_population")
    # Byar's approximation of the exact Poisson interval of the count, scaled like the count.
    z, x = stats.Z95, received
    low = 0.0 if x == 0 else x * (1 - 1 / (9 * x) - z / (3 * math.sqrt(x))) ** 3
    high = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * math.sqrt(x + 1))) ** 3
    scale = 10_000 / population
    return {"value": _round(x * scale), "low": _round(low * scale), "high": _round(high * scale), "n": received}


def _equity(units: list[tuple[int, dict]], names: dict[int, Area]) -> tuple[dict, dict, list[dict]]:
    minimum = settings.SCORECARD_MIN_EQUITY_REPORTS
    breakdown = []
    for dong, km in units:
        area = names.get(dong)
        median = km["median"]["value"]
        breakdown.append({
            "code": area.code if area else "", "name": area.name if area else "",
            "closed_reports": km["events"], "median_days_to_close": _round(median),
            "counted": km["events"] >= minimum and median is not None,
        })
    breakdown.sort(key=lambda unit: unit["code"])
    medians = [unit["median_days_to_close"] for unit in breakdown if unit["counted"]]
    if len(medians) < 2:
        return _missing("too_few_units"), _missing("too_few_units"), breakdown
    slowest, fastest = max(medians), min(medians)
    spread = {"value": _round(slowest - fastest), "low": None, "high": None, "n": len(medians)}
    ratio = (
        {"value": _round(slowest / fastest), "low": None, "high": None, "n": len(medians)}
        if fastest > 0 else _missing("not_reached")
    )
    return spread, ratio, breakdown


def _campaigns_run(now) -> dict[int, int]:
    """Campaigns each government organises that have started; examples (demo data) never count."""
    return dict(
        Campaign.objects.filter(is_example=False, starts_at__lte=now, organiser_government__isnull=False)
        .values("organiser_government_id").annotate(n=Count("id")).values_list("organiser_government_id", "n")
    )


def _models_adopted(now) -> dict[int, int]:
    """Standard models each government adopted, from their start date; examples never count.
    In SQL: standard_models sits above the scorecards in the layers, so they read its table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.government_id, count(*) FROM standard_models_adoption a JOIN standard_models_standardmodel m ON m.id = a.model_id "
            "WHERE NOT m.is_example AND a.starts_on <= %s GROUP BY a.government_id",
            [timezone.localtime(now).date()],
        )
        return dict(cursor.fetchall())


def _rows(governments, peer, counts, close_gov, close_peer, response_gov, close_dong, population, campaigns_run, now) -> list[Scorecard]:
    models_adopted = _models_adopted(now)
    units_of: dict[int, list[tuple[int, dict]]] = defaultdict(list)
    for (gov, dong), km in close_dong.items():
        if dong is not None:
            units_of[gov].append((dong, km))
    dongs = Area.objects.only("code", "name").in_bulk([dong for (_gov, dong) in close_dong if dong is not None])
    empty = {name: 0 for name in ("received", "closed", "closed_timed", "sla_n", "sla_met", "ever_closed", "reopened", *OUTCOME_KEYS)}
    indicators: dict[int, dict] = {}
    details: dict[int, dict] = {}
    for area in governments:
        c = counts.get(area.pk, empty)
        close = close_gov.get(area.pk, {})
        response = response_gov.get(area.pk, {})
        timed_n = c["received"] - (c["closed"] - c["closed_timed"])
        values = {
            "reports_received_per_10k": _per_10k(c["received"], population.get(area.pk)),
            "median_days_to_acknowledge": _days(response.get("median"), timed_n),
            "median_days_to_close": _days(close.get("median"), timed_n),
            "p90_days_to_close": _days(close.get("p90"), timed_n),
            HEADLINE: _proportion(c["sla_met"], c["sla_n"]),
            "reopen_rate": _proportion(c["reopened"], c["ever_closed"]),
        }
        for outcome, key in OUTCOME_KEYS.items():
            values[key] = _proportion(c[outcome], c["closed"])
        spread, ratio, breakdown = _equity(units_of.get(area.pk, []), dongs)
        values["equity_spread_days"], values["equity_ratio"] = spread, ratio
        run = campaigns_run.get(area.pk, 0)
        values["campaigns_run"] = {"value": run, "low": None, "high": None, "n": run}
        adopted = models_adopted.get(area.pk, 0)
        values["models_adopted"] = {"value": adopted, "low": None, "high": None, "n": adopted}
        for key in OBJECT_KEYS:
            if not BY_KEY[key].available:
                values[key] = _missing("not_available")
        indicators[area.pk] = {key: values[key] for key in OBJECT_KEYS}
        details[area.pk] = {
            "counts": c,
            "km_close": close.get("curve", []),
            "km_close_peer": close_peer.get(peer[area.pk], {}).get("curve", []),
            "submunicipal_units": breakdown,
            "funnel": {},
        }
    _funnels(governments, peer, counts, details)
    band_of = _bands(governments, peer, indicators, counts)
    return [
        Scorecard(
            area=area, peer_group=peer[area.pk], reports_received=counts.get(area.pk, empty)["received"],
            indicators=indicators[area.pk], detail=details[area.pk],
            closed_reports=counts.get(area.pk, empty)["closed_timed"],
            band=band_of.get(area.pk), band_reason="" if area.pk in band_of else "too_few", computed_at=now,
        )
        for area in governments
    ]


# Each proportion's successes and trials among the counts.
FUNNEL_COUNTS = {
    HEADLINE: ("sla_met", "sla_n"),
    "reopen_rate": ("reopened", "ever_closed"),
    **{key: (outcome, "closed") for outcome, key in OUTCOME_KEYS.items()},
}


def _funnels(governments, peer, counts, details) -> None:
    """Each proportion against its peer group's overall proportion, with 95 % and 99.8 % limits."""
    for key, (success_field, n_field) in FUNNEL_COUNTS.items():
        totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for area in governments:
            c = counts.get(area.pk)
            if c:
                totals[peer[area.pk]][0] += c[success_field]
                totals[peer[area.pk]][1] += c[n_field]
        for area in governments:
            c = counts.get(area.pk)
            successes, n = totals[peer[area.pk]]
            if not c or not c[n_field] or not n:
                continue
            p0 = successes / n
            limits = stats.funnel_limits(p0, c[n_field])
            details[area.pk]["funnel"][key] = {
                "p0": _round(p0, 4), **{k: _round(v, 4) for k, v in limits.items()},
                "position": stats.funnel_position(c[success_field] / c[n_field], limits),
            }


def _bands(governments, peer, indicators, counts) -> dict[int, int]:
    minimum = settings.SCORECARD_MIN_REPORTS
    groups: dict[str, dict[int, float]] = defaultdict(dict)
    for area in governments:
        value = indicators[area.pk][HEADLINE]
        closed = counts.get(area.pk, {}).get("closed_timed", 0)
        if value["value"] is not None and closed >= minimum:
            groups[peer[area.pk]][area.pk] = value["value"]
    result = {}
    for members in groups.values():
        result.update(stats.bands(members))
    return result
