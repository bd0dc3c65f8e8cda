"""Scorecards benchmark: `python bench/scorecards.py [--sizes 10000,100000] [--fresh]`. Not a test.

Times the full recompute (`scorecards_refresh`, what `manage.py refresh_scorecards` runs) over
every current local government at growing numbers of reports.

Sample reports never count, and `generate_reports` makes only sample reports. So the bench works
in its own scratch database (`dongne_bench_scorecards`, created, migrated and loaded with the
KOSTAT 2018 boundaries on first use; never the dev or test database) and, after each growth, flips
`is_sample` to false on every report there: the recompute then counts them exactly as it would
real ones (no other column it reads changes). The scratch database is only for this bench; drop
it with `--fresh` or `DROP DATABASE dongne_bench_scorecards`.

Each size is timed three times (the median is reported) and checked: the sum of reports received
over all governments must equal the number of public, non-sample reports. Writes the table to
bench/results/scorecards.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
RESULTS = ROOT / "bench" / "results" / "scorecards.md"
BENCH_DB = "dongne_bench_scorecards"
RUNS = 3


def base_url() -> str:
    return os.environ.get("DATABASE_URL") or (ROOT / ".local" / "database_url").read_text().strip()


def with_db(url: str, name: str) -> str:
    return urlsplit(url)._replace(path="/" + name).geturl()


def prepare(url: str, fresh: bool) -> str:
    bench = with_db(url, BENCH_DB)
    admin = psycopg.connect(with_db(url, "postgres"), cursor_factory=psycopg.ClientCursor)
    admin.autocommit = True
    with admin.cursor() as cur:
        if fresh:
            cur.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB])
        created = cur.fetchone() is None
        if created:
            cur.execute(f"CREATE DATABASE {BENCH_DB}")
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


def grow(bench: str, target: int) -> float:
    started = time.perf_counter()
    missing = target - counted(bench)
    if missing > 0:
        env = {**os.environ, "DATABASE_URL": bench}
        subprocess.run([PY, "manage.py", "generate_reports", "--count", str(missing), "--seed", str(target)],
                       cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    conn = psycopg.connect(bench, cursor_factory=psycopg.ClientCursor)
    conn.autocommit = True
    with conn.cursor() as cur:
        # The scratch database's sample reports become countable (see the module docstring).
        cur.execute("UPDATE reports_report SET is_sample = false WHERE is_sample")
        cur.execute("VACUUM ANALYZE reports_report")
        cur.execute("VACUUM ANALYZE reports_reportevent")
    conn.close()
    return time.perf_counter() - started


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


def recompute(bench: str) -> dict:
    env = {**os.environ, "DATABASE_URL": bench, "DJANGO_SETTINGS_MODULE": "config.settings"}
    out = subprocess.run([PY, "-c", RECOMPUTE], cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
    import json

    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated report counts")
    parser.add_argument("--fresh", action="store_true", help="drop the scratch database first")
    args = parser.parse_args()
    bench = prepare(base_url(), args.fresh)
    lines = ["| reports counted | full recompute, median of 3 (s) | runs (s) | governments | sum of received = counted |",
             "| ---: | ---: | --- | ---: | --- |"]
    for size in (int(value) for value in args.sizes.split(",")):
        grow(bench, size)
        n = counted(bench)
        runs = [recompute(bench) for _ in range(RUNS)]
        seconds = [run["seconds"] for run in runs]
        ok = all(run["received"] == n for run in runs)
        lines.append(f"| {n:,} | {statistics.median(seconds):.2f} | {', '.join(f'{s:.2f}' for s in seconds)} "
                     f"| {runs[0]['written']} | {'yes' if ok else 'NO'} |")
        print(lines[-1], flush=True)
    load = os.getloadavg()
    table = "\n".join(lines) + f"\n\n(load average while measuring: {load[0]:.1f}, 2 cores shared)\n"
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(table)
    print(table)
    if "NO" in table:
        sys.exit(1)


if __name__ == "__main__":
    main()
