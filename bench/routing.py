"""Routing benchmark: how fast a point finds its municipal unit, 읍면동 and local government.

Run from the project root against the development database (which holds the boundaries):

    .venv/bin/python bench/routing.py [--points 10000]

10,000 random points on land (ST_GeneratePoints inside every municipal unit of the current
vintage, shuffled with setseed(0.42), so every run routes the same points) are routed

  (a) one at a time through the selector, geodata.selectors.route_point (Django's connection);
  (b) one at a time through the selector's SQL, ROUTE_SQL, PREPARE'd on one psycopg connection;
  (c) like (b), but on the unsubdivided polygons (geodata_area.geom) instead of the pieces;
  (d) all at once, one set-based statement joining a temp table of the points to the pieces,
      and the same statement joined to the unsubdivided areas (municipal level, one row per point).

One-at-a-time methods run in interleaved rounds (--rounds, default 2) and the best round counts,
so a busy spell on a shared machine hits them alike; set-based statements take the best of 3,
with JIT off (its compile time, about 0.3 s, would swamp the faster statement) and, for
information, with the server's JIT setting and with a GiST index on the points.

It prints lookups per second and the ratios, checks that every method gives every point the
same municipal unit (and the one-at-a-time ones the same 읍면동), and writes the table to
bench/results/routing.txt. Django runs with DEBUG off, as in production, unless DEBUG is set.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "0")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.db import connection  # noqa: E402

from geodata.selectors import ROUTE_SQL, route_point  # noqa: E402

SEED = 0.42
RESULTS = ROOT / "bench" / "results" / "routing.txt"

# Points inside the municipal polygons, about count/240 per unit (so city districts weigh as much
# as the countryside, as reports do), shuffled by random() after setseed, cut to the wanted number.
POINTS_SQL = """
CREATE TEMP TABLE bench_points AS
WITH candidates AS MATERIALIZED (
    SELECT d.geom FROM geodata_area a
    CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(a.geom, %(per_unit)s, 42)) AS d
    WHERE a.is_current AND a.level = 'municipal'
    ORDER BY a.code, d.path
), keyed AS MATERIALIZED (
    SELECT geom, random() AS key FROM candidates
)
SELECT row_number() OVER (ORDER BY key) AS n, geom FROM keyed ORDER BY key LIMIT %(count)s
"""

# (c): ROUTE_SQL with every point-in-polygon test on geodata_area.geom instead of the pieces
# (which hold the current vintage only; areas of other vintages are filtered out here).
UNSUBDIVIDE = [
    ("FROM geodata_areapiece p\n    JOIN geodata_area a ON a.id = p.area_id\n", "FROM geodata_area a\n"),
    ("WHERE ST_Covers(p.geom,", "WHERE ST_Covers(a.geom,"),
    ("AND p.level IN", "AND a.is_current AND a.level IN"),
    ("         JOIN geodata_areapiece p ON p.area_id = d.id\n", "         JOIN geodata_area p ON p.id = d.id AND p.is_current\n"),
]


def unsubdivided(sql: str) -> str:
    for old, new in UNSUBDIVIDE:
        assert old in sql, f"ROUTE_SQL changed: {old!r} not found"
        sql = sql.replace(old, new)
    return sql


ROUTE_UNSUBDIVIDED_SQL = unsubdivided(ROUTE_SQL)

# (d): one statement for all points; the covering municipal unit with the lowest code per point.
SET_BASED_SQL = {
    "pieces": """
        SELECT DISTINCT ON (t.n) t.n, a.code FROM bench_points t
        JOIN geodata_areapiece p ON ST_Covers(p.geom, t.geom) AND p.level = 'municipal'
        JOIN geodata_area a ON a.id = p.area_id
        ORDER BY t.n, a.code
    """,
    "areas": """
        SELECT DISTINCT ON (t.n) t.n, a.code FROM bench_points t
        JOIN geodata_area a ON ST_Covers(a.geom, t.geom) AND a.level = 'municipal' AND a.is_current
        ORDER BY t.n, a.code
    """,
}

UNIT_CODE, DONG_CODE = 9, 13  # columns of ROUTE_SQL's row

Codes = list[tuple[str | None, str | None]]  # per point: (municipal unit, 읍면동), or Nones


def positional(sql: str) -> str:
    """ROUTE_SQL's %(lon)s/%(lat)s placeholders as PREPARE's $1/$2."""
    return sql.replace("%(lon)s", "$1").replace("%(lat)s", "$2")


def raw_connection():
    settings = connection.settings_dict
    conn = psycopg.connect(
        cursor_factory=psycopg.ClientCursor,
        dbname=settings["NAME"],
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
    )
    conn.autocommit = True
    return conn


def make_points(cursor, count: int) -> list[tuple[float, float]]:
    cursor.execute("DROP TABLE IF EXISTS bench_points")
    cursor.execute("SELECT setseed(%s)", [SEED])
    cursor.execute(POINTS_SQL, {"per_unit": count // 240 + 1, "count": count})
    cursor.execute("ANALYZE bench_points")
    cursor.execute("SELECT ST_X(geom), ST_Y(geom) FROM bench_points ORDER BY n")
    points = cursor.fetchall()
    if len(points) != count:
        raise SystemExit(f"Generated {len(points)} points, not {count}: are the boundaries imported (make boundaries)?")
    return points


def via_selector(points) -> Codes:
    codes = []
    for lon, lat in points:
        route = route_point(lon=lon, lat=lat)
        if route is None:
            codes.append((None, None))
        else:
            codes.append((route.municipal_unit.code, route.submunicipal_unit.code if route.submunicipal_unit else None))
    return codes


def via_prepared(cursor, name: str, points) -> Codes:
    statement = f"EXECUTE {name}(%s, %s)"
    codes = []
    for point in points:
        cursor.execute(statement, point)
        row = cursor.fetchone()
        codes.append((row[UNIT_CODE], row[DONG_CODE]) if row else (None, None))
    return codes


def via_set(cursor, sql: str, count: int) -> Codes:
    cursor.execute(sql)
    codes: Codes = [(None, None)] * count
    for n, code in cursor.fetchall():
        codes[n - 1] = (code, None)
    return codes


def best_of(rounds: int, run: Callable[[], Codes]) -> tuple[float, Codes]:
    """The fastest of a few runs (the machine may be busy); every run must give the same answer."""
    best, codes = float("inf"), None
    for _round in range(rounds):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
        if codes is not None and result != codes:
            raise SystemExit("Two runs of one method routed the points differently.")
        codes = result
    return best, codes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2, help="runs per one-at-a-time method; the best counts")
    parser.add_argument("--warmup", type=int, default=300, help="lookups per method before timing")
    args = parser.parse_args()
    count = args.points

    raw = raw_connection()
    cursor = raw.cursor()
    cursor.execute("SELECT version(), postgis_lib_version(), current_setting('jit')")
    pg_version, postgis_version, server_jit = cursor.fetchone()
    points = make_points(cursor, count)
    cursor.execute(f"PREPARE route_pieces(float8, float8) AS {positional(ROUTE_SQL)}")
    cursor.execute(f"PREPARE route_areas(float8, float8) AS {positional(ROUTE_UNSUBDIVIDED_SQL)}")
    one_at_a_time = {
        "a": lambda pts: via_selector(pts),
        "b": lambda pts: via_prepared(cursor, "route_pieces", pts),
        "c": lambda pts: via_prepared(cursor, "route_areas", pts),
    }
    for run in one_at_a_time.values():
        run(points[: args.warmup])

    # Rounds interleave the methods, so a busy spell on the machine hits them alike.
    results: dict[str, tuple[float, Codes]] = {}
    for _round in range(args.rounds):
        for key, run in one_at_a_time.items():
            started = time.perf_counter()
            codes = run(points)
            seconds = time.perf_counter() - started
            if key in results and codes != results[key][1]:
                raise SystemExit(f"Two rounds of ({key}) routed the points differently.")
            if key not in results or seconds < results[key][0]:
                results[key] = (seconds, codes)

    # Set-based: JIT off; then with the server's JIT setting, and with a GiST index on the points.
    cursor.execute("SET jit = off")
    for key, sql in (("d_sub", SET_BASED_SQL["pieces"]), ("d_unsub", SET_BASED_SQL["areas"])):
        results[key] = best_of(3, lambda sql=sql: via_set(cursor, sql, count))
    cursor.execute(f"SET jit = {server_jit}")
    for key, sql in (("d_sub_jit", SET_BASED_SQL["pieces"]), ("d_unsub_jit", SET_BASED_SQL["areas"])):
        results[key] = best_of(3, lambda sql=sql: via_set(cursor, sql, count))
    cursor.execute("SET jit = off")
    cursor.execute("CREATE INDEX bench_points_geom ON bench_points USING gist (geom)")
    cursor.execute("ANALYZE bench_points")
    for key, sql in (("d_sub_idx", SET_BASED_SQL["pieces"]), ("d_unsub_idx", SET_BASED_SQL["areas"])):
        results[key] = best_of(3, lambda sql=sql: via_set(cursor, sql, count))
    raw.close()

    reference = results["b"][1]
    rate = {key: count / seconds for key, (seconds, _codes) in results.items()}
    labels = {
        "a": "(a) selector route_point, one at a time",
        "b": "(b) ROUTE_SQL PREPARE'd on psycopg, pieces",
        "c": "(c) same, unsubdivided areas",
        "d_sub": "(d) one set-based statement, pieces",
        "d_unsub": "(d) one set-based statement, unsubdivided",
        "d_sub_jit": f"    (d) pieces, jit={server_jit}",
        "d_unsub_jit": f"    (d) unsubdivided, jit={server_jit}",
        "d_sub_idx": "    (d) pieces, GiST index on the points",
        "d_unsub_idx": "    (d) unsubdivided, GiST index on the points",
    }
    lines = [
        f"Routing benchmark, {datetime.now():%Y-%m-%d %H:%M}: {count} random points on land (setseed {SEED}),",
        f"{pg_version.split(' on ')[0]}, PostGIS {postgis_version}, Django DEBUG={os.environ['DEBUG']}.",
        f"One at a time: best of {args.rounds} interleaved rounds; set-based: best of 3, jit off unless shown.",
        "",
        f"{'method':<46} {'seconds':>8} {'lookups/s':>10} {'routed':>7} {'same unit':>10} {'same 읍면동':>10}",
    ]
    for key, (seconds, codes) in results.items():
        routed = sum(unit is not None for unit, _dong in codes)
        same_unit = sum(unit == expected for (unit, _), (expected, _) in zip(codes, reference, strict=True))
        same_dong = (
            str(sum(dong == expected for (_, dong), (_, expected) in zip(codes, reference, strict=True)))
            if key in one_at_a_time
            else "-"
        )
        lines.append(f"{labels[key]:<46} {seconds:8.2f} {rate[key]:10.0f} {routed:7d} {same_unit:10d} {same_dong:>10}")
    ratios = [
        ("a/b", rate["a"] / rate["b"], "selector vs. the same SQL prepared on a bare connection (aim >= 0.8)"),
        ("b/c", rate["b"] / rate["c"], "subdivided vs. unsubdivided, one at a time"),
        ("d_sub/d_unsub", rate["d_sub"] / rate["d_unsub"], "subdivided vs. unsubdivided, set-based (aim >= 4)"),
        ("  with jit", rate["d_sub_jit"] / rate["d_unsub_jit"], f"the same with jit={server_jit}"),
        ("  with index", rate["d_sub_idx"] / rate["d_unsub_idx"], "the same with a GiST index on the points"),
    ]
    lines += ["", f"{'ratio of lookups/s':<18} {'value':>6}"]
    lines += [f"{name:<18} {value:6.2f}  {note}" for name, value, note in ratios]
    report = "\n".join(lines) + "\n"
    print(report, end="")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report, encoding="utf-8")
    print(f"\nWritten to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
