"""Scorecards benchmark: `python bench/scorecards.py [--sizes 10000,100000] [--fresh] [--baseline-ref main]`. Not a test.

Times the full recompute (`scorecards_refresh`, what `manage.py refresh_scorecards` runs) over
every current local government at growing numbers of reports.

Sample reports never count, and `generate_reports` makes only sample reports. So the bench works
in its own scratch database (`dongne_bench_scorecards`, created, migrated and loaded with the
KOSTAT 2018 boundaries on first use; never the dev or test database) and, after each growth, flips
`is_sample` to false on every report there: the recompute then counts them exactly as it would
real ones (no other column it reads changes). The scratch database is only for this bench; drop
it with `--fresh` or `DROP DATABASE dongne_bench_scorecards`.

Growth: up to `--clone-from` reports (default 1,000,000) come from `generate_reports` (points
drawn in the real 읍면동, statuses and closure times by age); past that, the bench copies the
existing reports in SQL (`clone_reports`): each copy keeps its source's government, 읍면동, point,
category, status and outcome and moves all its times back by the same 0–30 days, so the shape stays
(statuses, closure times, reports closed as duplicates, 읍면동 spread) and 10M takes minutes, not hours.

Each size is timed `--runs` times (default 3; the median is reported) and checked: the sum of
reports received over all governments must equal the number of public, non-sample reports. With
`--baseline-ref REF` the same database is also timed with the code of git REF (a scratch `git
archive` copy of the tree, same virtualenv), `--baseline-runs` times, taking turns with this code's
runs, and the ratio of the medians printed.
`--db NAME` names another scratch database (e.g. one per size). Writes the table, with the load
average next to each size, to bench/results/scorecards.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
RESULTS = ROOT / "bench" / "results" / "scorecards.md"
BENCH_DB = "dongne_bench_scorecards"
RUNS = 3
CLONE_FROM = 1_000_000


def base_url() -> str:
    return os.environ.get("DATABASE_URL") or (ROOT / ".local" / "database_url").read_text().strip()


def with_db(url: str, name: str) -> str:
    return urlsplit(url)._replace(path="/" + name).geturl()


def prepare(url: str, fresh: bool, name: str = BENCH_DB) -> str:
    bench = with_db(url, name)
    admin = psycopg.connect(with_db(url, "postgres"), cursor_factory=psycopg.ClientCursor)
    admin.autocommit = True
    with admin.cursor() as cur:
        if fresh:
            cur.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        created = cur.fetchone() is None
        if created:
            cur.execute(f"CREATE DATABASE {name}")
    admin.close()
    env = {**os.environ, "DATABASE_URL": bench}
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    if created:
        subprocess.run([PY, "manage.py", "import_boundaries", str(ROOT.parent / "shared" / "data" / "kostat-2018"), "-v", "0"],
                       cwd=ROOT, env=env, check=True)
    return bench


def counted(bench: str) -> int:
    with psycopg.connect(bench, cursor_factory=psycopg.ClientCursor) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM reports_report WHERE confirmed_at IS NOT NULL AND NOT is_hidden AND NOT is_sample")
        return cur.fetchone()[0]


def grow(bench: str, target: int, clone_from: int = CLONE_FROM) -> float:
    started = time.perf_counter()
    have = counted(bench)
    generated = min(target, clone_from) - have
    if generated > 0:
        env = {**os.environ, "DATABASE_URL": bench}
        subprocess.run([PY, "manage.py", "generate_reports", "--count", str(generated), "--seed", str(target)],
                       cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        have += generated
    if target > have:
        clone_reports(bench, target - have)
    conn = psycopg.connect(bench, cursor_factory=psycopg.ClientCursor)
    conn.autocommit = True
    with conn.cursor() as cur:
        # The scratch database's sample reports become countable (see the module docstring).
        cur.execute("UPDATE reports_report SET is_sample = false WHERE is_sample")
        cur.execute("VACUUM ANALYZE reports_report")
        cur.execute("VACUUM ANALYZE reports_reportevent")
    conn.close()
    return time.perf_counter() - started


# Copies of existing reports, `copy` = 1, 2, … over the reports there before (in id order), until
# `missing` are made. A copy keeps what routes and classifies it and shifts all its times back by the
# same 0–30 days (from a hash of source id and copy: repeatable), so nothing lands in the future.
CLONE_SQL = """
INSERT INTO reports_report (
    location, public_location, description, answers, address, status, outcome, reporter_email, reporter_name,
    reporter_phone, show_name, channel, media_url, device_id, account_id, token, confirmation_token, confirmed_at,
    is_hidden, is_sample, support_count, created_at, updated_at, acknowledged_at, closed_at, due_at, api_client_id,
    category_id, duplicate_of_id, local_government_id, municipal_unit_id, reporter_id, submunicipal_unit_id)
SELECT location, public_location, description, answers, address, status, outcome, '', '', '', false, channel,
       media_url, device_id, account_id, gen_random_uuid(), gen_random_uuid(), confirmed_at - shift, is_hidden, false,
       support_count, created_at - shift, updated_at - shift, acknowledged_at - shift, closed_at - shift, due_at - shift,
       NULL, category_id, NULL, local_government_id, municipal_unit_id, NULL, submunicipal_unit_id
FROM (SELECT r.*, make_interval(secs => (hashint8(r.id * 64 + c) & 2147483647) %% (30 * 86400)) AS shift
      FROM generate_series(1, %(copies)s) c CROSS JOIN reports_report r
      WHERE r.id <= %(last)s
      ORDER BY c, r.id LIMIT %(missing)s) src
"""
# Each copy's only event, like generate_reports': created.
CLONE_EVENTS_SQL = """
INSERT INTO reports_reportevent (report_id, kind, from_status, to_status, outcome, reason, public_note, actor_label,
                                 is_public, data, created_at, actor_id)
SELECT id, 'created', '', 'submitted', '', '', '', '신고인', true, '{}', created_at, NULL
FROM reports_report WHERE id > %(last)s
"""


def clone_reports(bench: str, missing: int) -> None:
    """Add `missing` counted reports as shifted copies of the existing ones (see CLONE_SQL), with
    the secondary indexes dropped during the load and built again after (a bulk build is far
    faster than maintaining a dozen indexes row by row), and the map's cell counts rebuilt once.
    Needs a superuser (session_replication_role), as the scratch cluster's `postgres` is."""
    conn = psycopg.connect(bench, cursor_factory=psycopg.ClientCursor)
    with conn.transaction(), conn.cursor() as cur:
        # Copies of valid rows: no foreign-key checks (thousands of queued trigger events would also
        # forbid rebuilding the indexes) and no per-row triggers; the cell counts are rebuilt below.
        cur.execute("SET LOCAL session_replication_role = replica")
        cur.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cur.execute("SELECT max(id), count(*) FROM reports_report")
        last, sources = cur.fetchone()
        copies = -(-missing // sources)
        cur.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), c.conname, c.conrelid::regclass::text,"
            " pg_get_constraintdef(c.oid)"
            " FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.contype IN ('u', 'p')"
            " WHERE i.indrelid IN ('reports_report'::regclass, 'reports_reportevent'::regclass) AND NOT i.indisprimary"
        )
        indexes = cur.fetchall()
        for index, _definition, constraint, table, _constraint_def in indexes:
            cur.execute(f"ALTER TABLE {table} DROP CONSTRAINT {constraint}" if constraint else f"DROP INDEX {index}")
        cur.execute(CLONE_SQL, {"copies": copies, "last": last, "missing": missing})
        cur.execute(CLONE_EVENTS_SQL, {"last": last})
        for _index, definition, constraint, table, constraint_def in indexes:
            cur.execute(f"ALTER TABLE {table} ADD CONSTRAINT {constraint} {constraint_def}" if constraint else definition)
        cur.execute("SET LOCAL session_replication_role = origin")
        cur.execute("SELECT layers_reportcell_refresh()")
    conn.close()


RECOMPUTE = """
import json, time
import django
django.setup()
from scorecards.models import Scorecard
from scorecards.services import scorecards_refresh
started = time.perf_counter()
written = scorecards_refresh()
took = time.perf_counter() - started
total = sum(Scorecard.objects.values_list("reports_received", flat=True))
print(json.dumps({"seconds": took, "written": written, "received": total}))
"""


def recompute(bench: str, tree: Path = ROOT) -> dict:
    env = {**os.environ, "DATABASE_URL": bench, "DJANGO_SETTINGS_MODULE": "config.settings"}
    out = subprocess.run([PY, "-c", RECOMPUTE], cwd=tree, env=env, check=True, capture_output=True, text=True).stdout
    import json

    return json.loads(out.strip().splitlines()[-1])


def checkout(ref: str, into: Path) -> Path:
    """A plain copy of git REF's tree (no worktree, nothing in the repository changes)."""
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def timed(bench: str, runs: dict[Path, int]) -> dict[Path, tuple[list[float], bool, int, float]]:
    """Per code tree: seconds of each run, whether every run's received sum equals the counted
    reports, rows written, and the mean 1-minute load average after its runs. The trees take turns
    run by run, so a change of load on the shared machine falls on both alike."""
    n = counted(bench)
    results: dict[Path, list[dict]] = {tree: [] for tree in runs}
    loads: dict[Path, list[float]] = {tree: [] for tree in runs}
    for turn in range(max(runs.values())):
        for tree, count in runs.items():
            if turn < count:
                results[tree].append(recompute(bench, tree))
                loads[tree].append(os.getloadavg()[0])
    return {
        tree: ([r["seconds"] for r in rs], all(r["received"] == n for r in rs), rs[0]["written"], statistics.mean(loads[tree]))
        for tree, rs in results.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated report counts")
    parser.add_argument("--fresh", action="store_true", help="drop the scratch database first")
    parser.add_argument("--db", default=BENCH_DB, help="scratch database name")
    parser.add_argument("--runs", type=int, default=RUNS, help="timed runs per size")
    parser.add_argument("--baseline-ref", help="git ref whose scorecards code is timed too, for the ratio")
    parser.add_argument("--baseline-runs", type=int, default=RUNS, help="timed runs of the baseline per size")
    parser.add_argument("--clone-from", type=int, default=CLONE_FROM, help="past this many reports, grow by copying")
    args = parser.parse_args()
    bench = prepare(base_url(), args.fresh, args.db)
    lines = ["| reports counted | full recompute, median (s) | runs (s) | load avg | baseline median (s) | baseline runs (s)"
             " | baseline load avg | speed-up | governments | sum of received = counted |",
             "| ---: | ---: | --- | ---: | ---: | --- | ---: | ---: | ---: | --- |"]
    with tempfile.TemporaryDirectory(prefix="scorecards-baseline-") as scratch:
        baseline = checkout(args.baseline_ref, Path(scratch)) if args.baseline_ref else None
        for size in (int(value) for value in args.sizes.split(",")):
            grow(bench, size, args.clone_from)
            n = counted(bench)
            measured = timed(bench, {ROOT: args.runs, **({baseline: args.baseline_runs} if baseline else {})})
            seconds, ok, written, load = measured[ROOT]
            median = statistics.median(seconds)
            old = "| – | – | – | – "
            if baseline:
                old_seconds, old_ok, _written, old_load = measured[baseline]
                ok = ok and old_ok
                old_median = statistics.median(old_seconds)
                old = (f"| {old_median:.2f} | {', '.join(f'{s:.2f}' for s in old_seconds)} | {old_load:.1f} "
                       f"| {old_median / median:.2f}× ")
            lines.append(f"| {n:,} | {median:.2f} | {', '.join(f'{s:.2f}' for s in seconds)} | {load:.1f} {old}"
                         f"| {written} | {'yes' if ok else 'NO'} |")
            print(lines[-1], flush=True)
    ref = f" against `{args.baseline_ref}`" if args.baseline_ref else ""
    # Rows of other sizes measured before (e.g. in another scratch database) stay in the table.
    measured = {line.split("|")[1].strip() for line in lines[2:]}
    if RESULTS.exists():
        kept = [line for line in RESULTS.read_text().splitlines()
                if line.startswith("| ") and line.split("|")[1].strip().replace(",", "").isdigit()
                and line.split("|")[1].strip() not in measured and line.count("|") == lines[0].count("|")]
        lines[2:] = sorted(kept + lines[2:], key=lambda line: int(line.split("|")[1].strip().replace(",", "")))
    table = "\n".join(lines) + f"\n\n(2 cores shared with other work; load average = 1-minute, mean over the runs{ref})\n"
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(table)
    print(table)
    if "NO" in table:
        sys.exit(1)


if __name__ == "__main__":
    main()
