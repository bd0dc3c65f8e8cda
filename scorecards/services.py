"""Writes of the scorecards: the full recompute, set-based in PostgreSQL over every government at once.

Python only glues: it names the peer groups, turns the aggregated rows into indicator objects
(Wilson intervals, funnel limits, bands) and writes one Scorecard row per current government.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from campaigns.models import Campaign
from geodata.models import Area
from proposals.models import Obligation, overdue_obligations_q
from reports.models import Report
from scorecards import stats
from scorecards.indicators import BY_KEY, HEADLINE, OBJECT_KEYS, OUTCOME_KEYS
from scorecards.models import Population, Scorecard
from scorecards.peers import peer_group_of

CURVE_LAST_DAY = 365
TREND_QUARTERS = 8
EPS = 1e-9

# One row per counted report with what every indicator needs. Reports closed as duplicates are
# flagged out of the time indicators (`timed`) but stay in the counts.
BASE_SQL = """
CREATE TEMP TABLE sc_base ON COMMIT DROP AS
SELECT r.id, g.gov_id, g.peer_group, r.submunicipal_unit_id AS dong_id, r.outcome,
       closed, NOT (closed AND r.outcome = 'duplicate') AS timed, r.created_at, r.duplicate_of_id,
       CASE WHEN closed THEN r.closed_at END AS closed_at,
       date_trunc('quarter', r.created_at AT TIME ZONE %(tz)s)::date AS quarter,
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
    -- Only the events that matter here: a report without any reads as never reopened, no status.
    SELECT report_id, min(created_at) FILTER (WHERE kind = 'status') AS first_status_at,
           bool_or(kind = 'reopened' AND created_at <= %(now)s) AS reopened
    FROM reports_reportevent WHERE kind IN ('status', 'reopened') {events_scope} GROUP BY report_id
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
        -- t is unique within a unit here, so a ROWS frame is the same as the default RANGE one
        -- without comparing neighbours; counts fit an int, whose running sum is a bigint, not a numeric.
        SELECT {units}, t, d, sum(c::int) OVER (PARTITION BY {units} ORDER BY t DESC ROWS UNBOUNDED PRECEDING) AS n
        FROM (
            SELECT {units}, {duration} AS t, count(*) FILTER (WHERE {event}) AS d, count(*) AS c
            FROM sc_base WHERE timed {where} GROUP BY {units}, {duration}
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
# Per quarter of filing (the last TREND_QUARTERS): received, the SLA counts and the timed reports.
TRENDS_SQL = """
SELECT gov_id, quarter, count(*),
       count(*) FILTER (WHERE timed AND sla_decided),
       count(*) FILTER (WHERE timed AND sla_decided AND within_sla),
       count(*) FILTER (WHERE timed)
FROM sc_base WHERE quarter >= %(first)s GROUP BY gov_id, quarter
"""
# Repeated reports of one incident (after Liu, Bhandaram & Garg 2024). An incident is a counted
# report that is not a duplicate; its repeats are the counted reports marked its duplicates and the
# confirmed supports of it or of them. From the first of these reports to the next, the wait is
# taken as exponential with the area's reporting rate, censored when the incident is closed (or now).
# Per government: the first gaps observed, the total exposure and the incidents.
DELAY_SQL = """
WITH repeats AS (
    -- From every counted report, not only sc_base's: a duplicate may be routed to another government.
    SELECT d.duplicate_of_id AS incident_id, d.created_at AS at FROM ({public}) d
    WHERE d.duplicate_of_id IS NOT NULL AND d.created_at <= %(now)s
    UNION ALL
    SELECT COALESCE(d.duplicate_of_id, d.id), s.created_at
    FROM reports_support s JOIN ({public}) d ON d.id = s.report_id
    WHERE s.confirmed_at IS NOT NULL AND s.created_at <= %(now)s AND d.created_at <= %(now)s
), firsts AS (
    SELECT incident_id, (array_agg(at ORDER BY at))[1:2] AS ats FROM repeats GROUP BY incident_id
), gaps AS (
    SELECT i.gov_id, COALESCE(i.closed_at, %(now)s) AS censor_at,
           LEAST(i.created_at, f.ats[1]) AS first_at,
           CASE WHEN f.ats IS NULL THEN NULL WHEN f.ats[1] >= i.created_at THEN f.ats[1]
                ELSE LEAST(i.created_at, f.ats[2]) END AS next_at
    FROM sc_base i LEFT JOIN firsts f ON f.incident_id = i.id
    WHERE i.duplicate_of_id IS NULL
)
SELECT gov_id, count(*) FILTER (WHERE next_at <= censor_at),
       COALESCE(sum(extract(epoch FROM LEAST(next_at, censor_at) - first_at)) FILTER (WHERE censor_at > first_at), 0) / 86400.0,
       count(*)
FROM gaps GROUP BY gov_id
"""
# The curve at the end of each day (the last step of the day), up to a year.
KM_CURVE_SQL = """
SELECT {units}, LEAST(ceil(t)::int, %(last)s) AS day, min(s),
       (array_agg(lower_s ORDER BY t DESC))[1], (array_agg(upper_s ORDER BY t DESC))[1]
FROM {table} GROUP BY {units}, day ORDER BY day
"""


# Participation around the reports, per government in sc_gov: service ratings of counted reports
# (ratings app) and closed polls (polls app); examples never count.
RATINGS_SQL = """
SELECT b.gov_id, count(*), avg(r.score), stddev_samp(r.score), count(*) FILTER (WHERE NOT r.solved)
FROM ratings_servicerating r JOIN sc_base b ON b.id = r.report_id
WHERE r.created_at <= %(now)s GROUP BY b.gov_id
"""
POLLS_SQL = """
SELECT p.local_government_id, count(*) FROM polls_poll p JOIN sc_gov g ON g.gov_id = p.local_government_id
WHERE NOT p.is_example AND p.closes_at <= %(now)s GROUP BY p.local_government_id
"""


def scorecards_refresh(*, now: datetime | None = None) -> int:
    """Recompute every current local government's scorecard; returns how many were written.

    The worker runs it nightly; `refresh_scorecards` runs it now. Readers see the previous rows
    until the new ones are committed.
    """
    now = now or timezone.now()
    governments = _current_governments()
    with transaction.atomic(), connection.cursor() as cursor:
        _take_turns(cursor)
        # Every change committed so far is in this recompute: the marks of changes are done with.
        cursor.execute("DELETE FROM scorecards_changedgovernment")
        rows, _bands_of = _compute(cursor, governments, governments, now)
        Scorecard.objects.all().delete()
        Scorecard.objects.bulk_create(rows)
    return len(rows)


def scorecards_refresh_changed(*, now: datetime | None = None) -> int:
    """Recompute only the governments whose reports or supports changed since the last refresh
    (marked by the triggers of migration 0002); returns how many rows were rewritten.

    The changed governments' rows are computed whole, against their peer groups' totals and the
    national reporting rate from the other rows as stored; the others keep their figures (time moves
    on for them at the nightly full recompute) and only their bands follow the changed values.
    """
    now = now or timezone.now()
    if not Scorecard.objects.exists():  # never computed yet (a fresh install): nothing to be incremental on
        return scorecards_refresh(now=now)
    with transaction.atomic(), connection.cursor() as cursor:
        _take_turns(cursor)
        # A mark committed after this statement stays for the next run; a rollback puts these back.
        cursor.execute("DELETE FROM scorecards_changedgovernment RETURNING area_id")
        changed = {area_id for (area_id,) in cursor.fetchall()}
        everyone = _current_governments() if changed else []
        targets = [area for area in everyone if area.pk in changed]
        if not targets:
            return 0
        stored = {
            area_id: {"band": band, "headline": (headline, closed), "counts": counts, "delay": delay, "peer_curve": curve}
            for area_id, band, closed, headline, counts, delay, curve in Scorecard.objects.values_list(
                "area_id", "band", "closed_reports", f"indicators__{HEADLINE}__value", "detail__counts",
                "detail__reporting_delay", "detail__km_close_peer",
            )
        }
        rows, band_of = _compute(cursor, targets, everyone, now, stored=stored)
        Scorecard.objects.filter(area_id__in=[area.pk for area in targets]).delete()
        Scorecard.objects.bulk_create(rows)
        for area_id, old in stored.items():
            if area_id not in changed and old["band"] != band_of.get(area_id):
                Scorecard.objects.filter(area_id=area_id).update(
                    band=band_of.get(area_id), band_reason="" if area_id in band_of else "too_few"
                )
    return len(rows)


def _inline(cursor, queryset) -> str:
    """A queryset's SQL with its values inlined (its placeholders are positional, ours named)."""
    sql, params = queryset.query.sql_with_params()
    sql = cursor.mogrify(sql, params)
    return (sql.decode() if isinstance(sql, bytes) else sql).replace("%", "%%")


def _current_governments() -> list[Area]:
    # Boundaries are megabytes: never load them here.
    return list(Area.objects.current().local_governments().defer("geom").order_by("code"))


def _take_turns(cursor) -> None:
    # Two refreshes at once (the worker and the command) would both rewrite the rows: take turns.
    cursor.execute("SELECT pg_advisory_xact_lock(hashtext('scorecards_refresh'))")


def _compute(cursor, targets: list[Area], everyone: list[Area], now: datetime, stored: dict | None = None):
    """The rows of `targets`, set-based over their reports; (rows, band of every banded government).

    With `stored` (the incremental refresh), what depends on governments not recomputed — peer
    group totals, peer curves, the national reporting rate, the bands — reads their stored rows.
    """
    peer = {area.pk: peer_group_of(level=area.level, name=area.name) for area in everyone}
    # Dropped at commit; a second refresh inside one outer transaction (tests, a caller's atomic) starts clean.
    cursor.execute("DROP TABLE IF EXISTS sc_gov, sc_base")
    # The peer group only partitions and groups (equality): byte order ("C") lets the sorts of the
    # peer groups' Kaplan–Meier pass compare it cheaply (abbreviated keys), not through the locale.
    cursor.execute('CREATE TEMP TABLE sc_gov (gov_id bigint PRIMARY KEY, peer_group text COLLATE "C") ON COMMIT DROP')
    if targets:
        cursor.execute(
            "INSERT INTO sc_gov VALUES " + ",".join(["(%s, %s)"] * len(targets)),
            [value for area in targets for value in (area.pk, peer[area.pk])],
        )
    public = Report.objects.public().counted().order_by().values(
        "id", "local_government_id", "submunicipal_unit_id", "status", "outcome", "created_at",
        "acknowledged_at", "closed_at", "due_at", "duplicate_of_id",
    )
    public_sql = _inline(cursor, public)
    params = {"now": now, "tz": settings.TIME_ZONE}
    if stored is None:
        cursor.execute(BASE_SQL.format(public=public_sql, events_scope=""), params)
    else:
        # A few governments: read only their reports and their reports' events (indexed), not all.
        scope = [area.pk for area in targets]
        cursor.execute(BASE_SQL.format(
            public=_inline(cursor, public.filter(local_government_id__in=scope)),
            events_scope="AND report_id IN (SELECT id FROM reports_report WHERE local_government_id = ANY(%(scope)s))",
        ), {**params, "scope": scope})
    cursor.execute("ANALYZE sc_base")
    counts = _counts(cursor)
    close_gov = _km(cursor, "sc_km_close", "gov_id", "close_days", "closed", curve=True)
    response_gov = _km(cursor, "sc_km_response", "gov_id", "response_days", "responded")
    close_dong = _km(cursor, "sc_km_dong", "gov_id, dong_id", "close_days", "closed")
    quarters = last_quarters(now)
    trends = _trends(cursor, quarters)
    cursor.execute(DELAY_SQL.format(public=public_sql), {"now": now})
    delay = {gov: {"repeats": d, "exposure_days": float(t), "incidents": n} for gov, d, t, n in cursor.fetchall()}
    others: dict[int, tuple] = {}
    if stored is None:
        close_peer = _km(cursor, "sc_km_peer", "peer_group", "close_days", "closed", curve=True)
    else:
        recomputed = {area.pk for area in targets}
        kept = {area_id: row for area_id, row in stored.items() if area_id not in recomputed and area_id in peer}
        close_peer = {peer[area_id]: {"curve": row["peer_curve"] or []} for area_id, row in kept.items()}
        counts = {**{area_id: row["counts"] for area_id, row in kept.items() if row["counts"]}, **counts}
        delay = {**{area_id: row["delay"] for area_id, row in kept.items() if row["delay"]}, **delay}
        others = {area_id: row["headline"] for area_id, row in kept.items()}
    activity = _activity(cursor, now)
    rows, band_of = _rows(targets, peer, counts, close_gov, close_peer, response_gov, close_dong, _population(), delay,
                          now, activity, others)
    for row in rows:
        row.detail["trends"] = trends.get(row.area_id) or _empty_trend(quarters)
    return rows, band_of


def _counts(cursor) -> dict[int, dict[str, int]]:
    names = ["received", "closed", "closed_timed", "sla_n", "sla_met", "ever_closed", "reopened"]
    outcomes = list(OUTCOME_KEYS)
    cursor.execute(COUNTS_SQL.format(outcomes=", ".join(f"count(*) FILTER (WHERE closed AND outcome = '{o}')" for o in outcomes)))
    result = {}
    for row in cursor.fetchall():
        result[row[0]] = dict(zip(names + outcomes, row[1:], strict=True))
    return result


def _km(cursor, table: str, units: str, duration: str, event: str, curve: bool = False, where: str = "",
        params: dict | None = None) -> dict:
    """Quantiles (and the daily curve) of one Kaplan–Meier estimate per unit; `where` narrows the reports."""
    params = {"z": stats.Z95, "eps": EPS, "last": CURVE_LAST_DAY, **(params or {})}
    cursor.execute(KM_STEPS_SQL.format(table=table, units=units, duration=duration, event=event, where=where), params)
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


def last_quarters(now: datetime, count: int = TREND_QUARTERS) -> list[date]:
    """The first days of the last `count` calendar quarters (local time), oldest first, `now`'s included."""
    local = timezone.localtime(now)
    index = local.year * 4 + (local.month - 1) // 3
    return [date(i // 4, (i % 4) * 3 + 1, 1) for i in range(index - count + 1, index + 1)]


def quarter_label(start: date) -> str:
    return f"{start.year}-Q{(start.month - 1) // 3 + 1}"


def _trend_point(start: date, received: int = 0, sla_n: int = 0, sla_met: int = 0, timed: int = 0,
                 km: dict | None = None) -> dict:
    return {
        "quarter": quarter_label(start), "start": start.isoformat(), "reports_received": received,
        "median_days_to_close": _days((km or {}).get("median"), timed),
        HEADLINE: _proportion(sla_met, sla_n),
    }


def _empty_trend(quarters: list[date]) -> list[dict]:
    return [_trend_point(start) for start in quarters]


def _trends(cursor, quarters: list[date]) -> dict[int, list[dict]]:
    """Each government's last quarters by quarter of filing: received, KM median days to close, share within SLA."""
    params = {"first": quarters[0]}
    close = _km(cursor, "sc_km_quarter", "gov_id, quarter", "close_days", "closed", where="AND quarter >= %(first)s",
                params=params)
    cursor.execute(TRENDS_SQL, params)
    counts = {(gov, quarter): rest for gov, quarter, *rest in cursor.fetchall()}
    return {
        gov: [_trend_point(start, *counts.get((gov, start), (0, 0, 0, 0)), km=close.get((gov, start))) for start in quarters]
        for gov in {gov for gov, _quarter in counts}
    }


def _national_rate(delays) -> float | None:
    """Repeats per day of exposure over every government: the rate each government is set against."""
    delays = list(delays)
    exposure = sum(item["exposure_days"] for item in delays)
    return sum(item["repeats"] for item in delays) / exposure if exposure > 0 else None


def _relative_delay(delay: dict, national: float | None) -> dict:
    """The national reporting rate over the government's: 2 means incidents are reported again half
    as fast as nationally (a longer delay, a sign of under-reporting). Experimental; never banded."""
    if delay["repeats"] < settings.SCORECARD_MIN_DELAY_REPEATS or not national:
        return _missing("too_few_repeats")
    rate = stats.exponential_rate(delay["repeats"], delay["exposure_days"])
    return {
        "value": _round(national / rate["value"]), "low": _round(national / rate["high"]),
        "high": _round(national / rate["low"]) if rate["low"] > 0 else None, "n": delay["repeats"],
    }


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
    low, high = stats.poisson_interval(received)
    scale = 10_000 / population
    return {"value": _round(received * scale), "low": _round(low * scale), "high": _round(high * scale), "n": received}


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


def _count(n: int) -> dict:
    return {"value": n, "low": None, "high": None, "n": n}


def _mean_rating(rated: int, mean, sd) -> dict:
    if not rated:
        return _missing("no_reports")
    if rated < 2 or sd is None:
        return {"value": _round(mean, 2), "low": None, "high": None, "n": rated}
    # Normal approximation of the mean's 95 % interval, kept within the 1–5 scale.
    half = stats.Z95 * float(sd) / rated ** 0.5
    return {"value": _round(mean, 2), "low": _round(max(1.0, float(mean) - half), 2), "high": _round(min(5.0, float(mean) + half), 2), "n": rated}


def _activity(cursor, now: datetime) -> dict[int, dict]:
    """The participation indicators of the governments in sc_gov (ratings, polls, campaigns, models)."""
    found: dict[int, dict] = defaultdict(dict)
    cursor.execute(RATINGS_SQL, {"now": now})
    for gov, rated, mean, sd, not_solved in cursor.fetchall():
        found[gov]["mean_rating"] = _mean_rating(rated, mean, sd)
        found[gov]["not_solved_rate"] = _proportion(not_solved, rated)
    cursor.execute(POLLS_SQL, {"now": now})
    for gov, held in cursor.fetchall():
        found[gov]["polls_held"] = _count(held)
    # Campaigns each government organises that have started; examples (demo data) never count.
    campaigns = (
        Campaign.objects.filter(is_example=False, starts_at__lte=now, organiser_government__isnull=False)
        .values("organiser_government_id").annotate(n=Count("id")).values_list("organiser_government_id", "n")
    )
    for gov, run in campaigns:
        found[gov]["campaigns_run"] = _count(run)
    # Standard models adopted, from their start date; examples never count. In SQL: standard_models
    # sits above the scorecards in the layers, so they read its tables.
    cursor.execute(
        "SELECT a.government_id, count(*) FROM standard_models_adoption a"
        " JOIN standard_models_standardmodel m ON m.id = a.model_id"
        " JOIN sc_gov g ON g.gov_id = a.government_id"
        " WHERE NOT m.is_example AND a.starts_on <= %s GROUP BY a.government_id",
        [timezone.localtime(now).date()],
    )
    for gov, adopted in cursor.fetchall():
        found[gov]["models_adopted"] = _count(adopted)
    return found


def _activity_values(found: dict | None) -> dict:
    found = found or {}
    return {
        "mean_rating": found.get("mean_rating") or _missing("no_reports"),
        "not_solved_rate": found.get("not_solved_rate") or _proportion(0, 0),
        "polls_held": found.get("polls_held") or _count(0),
        "campaigns_run": found.get("campaigns_run") or _count(0),
        "models_adopted": found.get("models_adopted") or _count(0),
    }


def _rows(governments, peer, counts, close_gov, close_peer, response_gov, close_dong, population, delay, now,
          activity: dict[int, dict], others: dict[int, tuple] | None = None) -> tuple[list[Scorecard], dict[int, int]]:
    """Scorecards of `governments`; `counts`, `delay` and `others` (headline value and closed count of
    governments not recomputed) cover the peer groups, for the funnels, bands and national rate."""
    units_of: dict[int, list[tuple[int, dict]]] = defaultdict(list)
    for (gov, dong), km in close_dong.items():
        if dong is not None:
            units_of[gov].append((dong, km))
    dongs = Area.objects.only("code", "name").in_bulk([dong for (_gov, dong) in close_dong if dong is not None])
    empty = {name: 0 for name in ("received", "closed", "closed_timed", "sla_n", "sla_met", "ever_closed", "reopened", *OUTCOME_KEYS)}
    indicators: dict[int, dict] = {}
    details: dict[int, dict] = {}
    national = _national_rate(delay.values())
    no_delay = {"repeats": 0, "exposure_days": 0.0, "incidents": 0}
    duties = _obligation_counts(now)
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
        values["relative_reporting_delay"] = _relative_delay(delay.get(area.pk, no_delay), national)
        values.update(_activity_values(activity.get(area.pk)))
        spread, ratio, breakdown = _equity(units_of.get(area.pk, []), dongs)
        values["equity_spread_days"], values["equity_ratio"] = spread, ratio
        values.update(_obligation_values(duties.get(area.pk)))
        for key in OBJECT_KEYS:
            if not BY_KEY[key].available:
                values[key] = _missing("not_available")
        indicators[area.pk] = {key: values[key] for key in OBJECT_KEYS}
        details[area.pk] = {
            "counts": c,
            "km_close": close.get("curve", []),
            "km_close_peer": close_peer.get(peer[area.pk], {}).get("curve", []),
            "submunicipal_units": breakdown,
            "reporting_delay": {**delay.get(area.pk, no_delay), "national_rate_per_day": national},
            "funnel": {},
        }
    _funnels(governments, peer, counts, details)
    band_of = _bands(governments, peer, indicators, counts, others or {})
    return [
        Scorecard(
            area=area, peer_group=peer[area.pk], reports_received=counts.get(area.pk, empty)["received"],
            indicators=indicators[area.pk], detail=details[area.pk],
            closed_reports=counts.get(area.pk, empty)["closed_timed"],
            band=band_of.get(area.pk), band_reason="" if area.pk in band_of else "too_few", computed_at=now,
        )
        for area in governments
    ], band_of


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
        for gov_id, group in peer.items():  # the whole peer group, recomputed or not
            c = counts.get(gov_id)
            if c:
                totals[group][0] += c[success_field]
                totals[group][1] += c[n_field]
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


def _bands(governments, peer, indicators, counts, others: dict[int, tuple]) -> dict[int, int]:
    minimum = settings.SCORECARD_MIN_REPORTS
    headlines = {gov_id: headline for gov_id, headline in others.items()}
    for area in governments:
        headlines[area.pk] = (indicators[area.pk][HEADLINE]["value"], counts.get(area.pk, {}).get("closed_timed", 0))
    groups: dict[str, dict[int, float]] = defaultdict(dict)
    for gov_id, (value, closed) in headlines.items():
        if value is not None and closed >= minimum:
            groups[peer[gov_id]][gov_id] = value
    result = {}
    for members in groups.values():
        result.update(stats.bands(members))
    return result


def _obligation_counts(now: datetime) -> dict[int, dict[str, int]]:
    """Per government: its proposals' obligations, those overdue now, those due or answered, and
    those answered by their original deadline (issue 17). Example and hidden proposals never count."""
    rows = (
        Obligation.objects.filter(proposal__is_example=False, proposal__is_hidden=False)
        .values("proposal__local_government_id")
        .annotate(
            total=Count("id"),
            overdue=Count("id", filter=overdue_obligations_q(now)),
            due=Count("id", filter=Q(deadline__lt=now) | Q(met_at__isnull=False)),
            on_time=Count("id", filter=Q(met_at__isnull=False, met_at__lte=F("deadline"))),
        )
    )
    return {row.pop("proposal__local_government_id"): row for row in rows}


def _obligation_values(counts: dict[str, int] | None) -> dict:
    counts = counts or {"total": 0, "overdue": 0, "due": 0, "on_time": 0}
    answered = _proportion(counts["on_time"], counts["due"]) if counts["due"] else _missing("no_obligations")
    return {
        "proposals_answered_by_deadline": answered,
        "obligations_overdue": {"value": counts["overdue"], "low": None, "high": None, "n": counts["total"]},
    }


# --- one government over a window (a read, here because it runs the recompute's own SQL) ---------

# The indicators given over a window, in catalogue order: what standard models show before and
# after an adoption and check for their evidence tier.
WINDOW_KEYS = ("reports_received", "median_days_to_acknowledge", "median_days_to_close", HEADLINE)


def scorecard_window(*, government_id: int, start: datetime, end: datetime, now: datetime | None = None) -> dict:
    """The indicators of WINDOW_KEYS for the reports a government received in [start, end), with
    the scorecards' definitions and filters (public, non-sample; duplicates out of the times).

    The reports are observed as of the window's end (clipped at `now`), so a window before and a
    window after an event, of equal length, give their reports the same time to close. Returns
    {"start", "end", "days", "complete", "indicators": {key: {"value", "low", "high", "n"} or
    {"value": None, "reason"}}}: below SCORECARD_MIN_WINDOW_REPORTS reports, only the count.
    """
    now = now or timezone.now()
    observed = min(end, now)
    window = {"start": timezone.localtime(start).date(), "end": timezone.localtime(end).date(),
              "days": max(0, (observed - start).days), "complete": end <= now}
    if start >= now:
        return {**window, "indicators": {key: _missing("window_not_begun") for key in WINDOW_KEYS}}
    with transaction.atomic(), connection.cursor() as cursor:
        # A caller's transaction may hold a recompute's tables: start clean, leave clean.
        cursor.execute("DROP TABLE IF EXISTS sc_gov, sc_base")
        cursor.execute("CREATE TEMP TABLE sc_gov (gov_id bigint PRIMARY KEY, peer_group text) ON COMMIT DROP")
        cursor.execute("INSERT INTO sc_gov VALUES (%s, '')", [government_id])
        public = Report.objects.public().counted().order_by().filter(
            local_government_id=government_id, created_at__gte=start, created_at__lt=end,
        ).values("id", "local_government_id", "submunicipal_unit_id", "status", "outcome", "created_at",
                 "acknowledged_at", "closed_at", "due_at", "duplicate_of_id")
        cursor.execute(BASE_SQL.format(
            public=_inline(cursor, public),
            events_scope="AND report_id IN (SELECT id FROM reports_report WHERE local_government_id = %(gov)s)",
        ), {"now": observed, "tz": settings.TIME_ZONE, "gov": government_id})
        c = _counts(cursor).get(government_id)
        close = _km(cursor, "sc_km_window_close", "gov_id", "close_days", "closed").get(government_id, {})
        response = _km(cursor, "sc_km_window_response", "gov_id", "response_days", "responded").get(government_id, {})
        cursor.execute("DROP TABLE sc_gov, sc_base")
    received = c["received"] if c else 0
    indicators = {"reports_received": _count(received)}
    if received < settings.SCORECARD_MIN_WINDOW_REPORTS:
        reason = "no_reports" if not received else "too_few_reports"
        indicators.update({key: {**_missing(reason), "n": received} for key in WINDOW_KEYS[1:]})
    else:
        timed_n = c["received"] - (c["closed"] - c["closed_timed"])
        indicators.update({
            "median_days_to_acknowledge": _days(response.get("median"), timed_n),
            "median_days_to_close": _days(close.get("median"), timed_n),
            HEADLINE: _proportion(c["sla_met"], c["sla_n"]),
        })
    return {**window, "indicators": indicators}
