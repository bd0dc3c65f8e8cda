"""Write benchmark: `make bench-writes` (or `python bench/writes.py [--seconds N]`).

In a fresh database `dongne_bench_writes` (cloned from the dev database: boundaries, categories),
it creates an API key with `create_api_client`, serves the app with gunicorn (2 sync workers, as
`make run` does) on 127.0.0.1 with the worker beside it, and measures:
- report creation through REST (POST /api/v1/reports/, JSON, no photos, an Idempotency-Key each)
  at 1, 8 and 32 concurrent keep-alive clients;
- the same INSERT INTO reports_report (with its cell-count trigger) as raw SQL, one psycopg
  connection per client, at 1 and 8 clients: the floor the REST figures are compared with;
- a chaos run: 8 REST clients while every database connection of the bench database is killed
  twice (pg_terminate_backend, as a restart or failover does). A client retries a 503 or a broken
  connection with the same Idempotency-Key; afterwards every report must be stored exactly once
  and no response may have been a 500. Then how many jobs the worker still had, and how long
  it took to work through them.
Points are drawn around a few Seoul neighbourhoods with one category, so the writers share cells
(the case that deadlocked before layers migration 0003).
The load generator is Python threads in this process, on the same 2-core machine as gunicorn, the
worker and PostgreSQL (and whatever else runs there; the table notes the load average). Prints a table and writes it to bench/results/writes.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
RESULTS = ROOT / "bench" / "results" / "writes.md"
BENCH_DB = "dongne_bench_writes"
SEOUL_SPOTS = [(126.9780, 37.5665), (126.9768, 37.5759), (127.0276, 37.4979), (126.9242, 37.5563), (127.0016, 37.5704)]
AIM_RATE, AIM_P95_MS = 100, 250


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or (ROOT / ".local" / "database_url").read_text().strip()


def with_db(url: str, name: str) -> str:
    return urlsplit(url)._replace(path="/" + name).geturl()


def admin(url: str):
    conn = psycopg.connect(with_db(url, "postgres"), cursor_factory=psycopg.ClientCursor)
    conn.autocommit = True
    return conn


def prepare_database(url: str) -> str:
    source = urlsplit(url).path.lstrip("/")
    bench = with_db(url, BENCH_DB)
    conn = admin(url)
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        for _attempt in range(20):  # the template must have no other session for a moment
            try:
                cur.execute(f'CREATE DATABASE {BENCH_DB} TEMPLATE "{source}"')
                break
            except psycopg.errors.ObjectInUse:
                time.sleep(0.5)
        else:
            sys.exit(f"Could not clone {source}: stop what is connected to it (make run?) and try again.")
    conn.close()
    env = {**os.environ, "DATABASE_URL": bench}
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    with psycopg.connect(bench, cursor_factory=psycopg.ClientCursor) as c, c.cursor() as cur:
        # Start from no reports, so the figures do not depend on the dev data.
        cur.execute("TRUNCATE reports_report, layers_reportcell, notifications_outboundmessage, notifications_reportnotice, procrastinate_jobs CASCADE")
    return bench


def api_key(bench: str) -> str:
    done = subprocess.run(
        [PY, "manage.py", "create_api_client", "--name", "bench-writes", "--scopes", "read,submit", "--rate-limit", "100000000"],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": bench}, check=True, capture_output=True, text=True,
    )
    return done.stdout.strip().splitlines()[-1]


def category_code(bench: str) -> str:
    with psycopg.connect(bench, cursor_factory=psycopg.ClientCursor) as c, c.cursor() as cur:
        cur.execute(
            """SELECT code FROM reports_category c WHERE is_active AND NOT is_sensitive
               AND NOT EXISTS (SELECT 1 FROM reports_question q WHERE q.category_id = c.id AND q.required)
               ORDER BY code LIMIT 1"""
        )
        row = cur.fetchone()
    if row is None:
        sys.exit("No category without required questions: run `make setup` (load_categories) first.")
    return row[0]


class Server:
    """gunicorn as the Procfile runs it, and the worker beside it (it writes the new reports'
    notices and delivers them, on the same cores), as under `make run`."""

    def __init__(self, bench: str, port: int, workers: int, threads: int):
        env = {**os.environ, "DATABASE_URL": bench, "DEBUG": "0", "LOG_LEVEL": "WARNING", "SITE_URL": f"http://127.0.0.1:{port}",
               "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
        self.port = port
        self.proc = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi:application", "-w", str(workers), "--threads", str(threads),
             "-b", f"127.0.0.1:{port}", "--timeout", "60"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        self.worker = subprocess.Popen(
            [PY, "manage.py", "run_worker"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status in (200, 503):
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        sys.exit("gunicorn did not start")

    def stop(self) -> None:
        for proc in (self.proc, self.worker):
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)

    def jobs_waiting(self, bench: str) -> int:
        """Jobs to run plus new reports whose notices are still to write (one job writes many)."""
        with psycopg.connect(bench) as c, c.cursor() as cur:
            cur.execute(
                "SELECT (SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing'))"
                " + (SELECT count(*) FROM notifications_reportnotice)"
            )
            return cur.fetchone()[0]


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.statuses: dict[str, int] = {}
        self.created: dict[str, int] = {}  # logical report (Idempotency-Key) -> report id

    def add(self, status: str, latency: float | None = None) -> None:
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if latency is not None:
                self.latencies.append(latency)


def post_report(conn: http.client.HTTPConnection, key: str, category: str, idem: str, rng: random.Random):
    lon, lat = rng.choice(SEOUL_SPOTS)
    body = json.dumps({
        "category": category, "lon": lon + rng.uniform(-0.01, 0.01), "lat": lat + rng.uniform(-0.01, 0.01),
        "description": f"bench {idem}",
    })
    conn.request("POST", "/api/v1/reports/", body=body, headers={
        "Authorization": f"Bearer {key}", "Content-Type": "application/json", "Idempotency-Key": idem,
    })
    response = conn.getresponse()
    return response.status, response.read()


def rest_client(port: int, key: str, category: str, until: float, results: Results, seed: int, retry: bool) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < until:
        idem = str(uuid.uuid4())  # fresh each run: the chaos run must not replay earlier runs' keys
        for _attempt in range(50 if retry else 1):
            started = time.perf_counter()
            try:
                status, body = post_report(conn, key, category, idem, rng)
            except (OSError, http.client.HTTPException):
                results.add("connection error")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                time.sleep(0.2)
                continue
            results.add(str(status), time.perf_counter() - started)
            if status == 201:
                with results.lock:
                    results.created[idem] = json.loads(body)["id"]
                break
            if status != 503 or not retry:
                break
            time.sleep(0.2)  # Retry-After says 5 s; a bench waits less
    conn.close()


def run_rest(port: int, key: str, category: str, clients: int, seconds: float, *, retry: bool = False, chaos=None) -> tuple[Results, float]:
    results = Results()
    started = time.monotonic()
    until = started + seconds
    threads = [threading.Thread(target=rest_client, args=(port, key, category, until, results, 1000 * clients + i, retry)) for i in range(clients)]
    for t in threads:
        t.start()
    if chaos:
        chaos(started)
    for t in threads:
        t.join()
    return results, time.monotonic() - started


RAW_INSERT = """
INSERT INTO reports_report (location, public_location, description, answers, address, status, outcome, reporter_email,
  reporter_name, reporter_phone, show_name, channel, media_url, device_id, account_id, token, confirmation_token,
  confirmed_at, is_hidden, is_sample, support_count, created_at, updated_at, due_at, api_client_id, category_id,
  local_government_id, municipal_unit_id, submunicipal_unit_id)
SELECT ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326), ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326), %(description)s,
  answers, address, status, outcome, reporter_email, reporter_name, reporter_phone, show_name, channel, media_url,
  device_id, account_id, gen_random_uuid(), gen_random_uuid(), now(), false, false, 0, now(), now(), now() + interval '7 days',
  api_client_id, category_id, local_government_id, municipal_unit_id, submunicipal_unit_id
FROM reports_report WHERE id = %(template)s
"""


def raw_client(bench: str, template: int, until: float, results: Results, seed: int) -> None:
    rng = random.Random(seed)
    conn = psycopg.connect(bench, cursor_factory=psycopg.ClientCursor)
    with conn.cursor() as cur:
        while time.monotonic() < until:
            lon, lat = rng.choice(SEOUL_SPOTS)
            started = time.perf_counter()
            try:
                cur.execute(RAW_INSERT, {"lon": lon + rng.uniform(-0.01, 0.01), "lat": lat + rng.uniform(-0.01, 0.01), "description": "raw", "template": template})
                conn.commit()
                results.add("ok", time.perf_counter() - started)
            except psycopg.Error as exc:
                conn.rollback()
                results.add(type(exc).__name__)
    conn.close()


def run_raw(bench: str, template: int, clients: int, seconds: float) -> tuple[Results, float]:
    results = Results()
    started = time.monotonic()
    until = started + seconds
    threads = [threading.Thread(target=raw_client, args=(bench, template, until, results, i)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, time.monotonic() - started


def terminate_all(bench: str) -> int:
    conn = admin(bench)
    with conn.cursor() as cur:
        cur.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [BENCH_DB])
        killed = cur.fetchone()[0]
    conn.close()
    return killed


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] * 1000


def row(name: str, results: Results, elapsed: float, ok: str) -> dict:
    done = results.statuses.get(ok, 0)
    errors = sum(n for status, n in results.statuses.items() if status != ok)
    return {
        "name": name, "rate": done / elapsed, "p50": pct(results.latencies, 0.5), "p95": pct(results.latencies, 0.95),
        "errors": errors, "statuses": dict(sorted(results.statuses.items())), "done": done,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=12, help="length of each measured run")
    parser.add_argument("--port", type=int, default=8871)
    # As the Procfile: WEB_WORKERS sync workers; threads only to compare.
    parser.add_argument("--web-workers", type=int, default=int(os.environ.get("WEB_WORKERS", 2)))
    parser.add_argument("--web-threads", type=int, default=int(os.environ.get("WEB_THREADS", 1)))
    args = parser.parse_args()
    total_started = time.monotonic()
    load_before = os.getloadavg()

    bench = prepare_database(database_url())
    key = api_key(bench)
    category = category_code(bench)
    server = Server(bench, args.port, args.web_workers, args.web_threads)
    rows: list[dict] = []
    try:
        run_rest(args.port, key, category, 2, 2)  # warm-up: both gunicorn workers connected and routing prepared
        for clients in (1, 8, 32):
            results, elapsed = run_rest(args.port, key, category, clients, args.seconds)
            rows.append(row(f"REST, {clients} client{'s' if clients > 1 else ''}", results, elapsed, "201"))
            print(rows[-1], flush=True)
        with psycopg.connect(bench, cursor_factory=psycopg.ClientCursor) as c, c.cursor() as cur:
            cur.execute("SELECT max(id) FROM reports_report")
            template = cur.fetchone()[0]
        for clients in (1, 8):
            results, elapsed = run_raw(bench, template, clients, args.seconds)
            rows.append(row(f"raw SQL INSERT, {clients} client{'s' if clients > 1 else ''}", results, elapsed, "ok"))
            print(rows[-1], flush=True)

        with psycopg.connect(bench, cursor_factory=psycopg.ClientCursor) as c, c.cursor() as cur:
            cur.execute("SELECT count(*) FROM reports_report WHERE description LIKE 'bench %%'")
            before_chaos = cur.fetchone()[0]
        kills: list[int] = []

        def chaos(started: float) -> None:
            for at in (args.seconds / 3, 2 * args.seconds / 3):
                time.sleep(max(0.0, started + at - time.monotonic()))
                kills.append(terminate_all(bench))

        results, elapsed = run_rest(args.port, key, category, 8, args.seconds, retry=True, chaos=chaos)
        chaos_row = row("REST, 8 clients, all DB connections killed twice", results, elapsed, "201")
        with psycopg.connect(bench, cursor_factory=psycopg.ClientCursor) as c, c.cursor() as cur:
            cur.execute("SELECT description, count(*) FROM reports_report WHERE description LIKE 'bench %%' GROUP BY 1")
            stored = dict(cur.fetchall())
        logical = {f"bench {idem}" for idem in results.created}
        chaos_row.update(
            kills=kills,
            logical_reports=len(logical),
            stored_twice=sum(1 for n in stored.values() if n > 1),
            lost=len(logical - set(stored)),
            http_500=results.statuses.get("500", 0),
            stored_without_answer=len(stored) - before_chaos - len(logical),
        )
        rows.append(chaos_row)
        print(chaos_row, flush=True)
        backlog = server.jobs_waiting(bench)
        drain_started = time.monotonic()
        while server.jobs_waiting(bench) and time.monotonic() - drain_started < 120:
            time.sleep(1)
        drained = time.monotonic() - drain_started
        left = server.jobs_waiting(bench)
    finally:
        server.stop()

    raw8 = next(r for r in rows if r["name"] == "raw SQL INSERT, 8 clients")
    raw1 = next(r for r in rows if r["name"] == "raw SQL INSERT, 1 client")
    lines = [
        f"# Writes benchmark ({time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores; load generator: Python threads "
        f"in bench/writes.py on the same machine as gunicorn ({args.web_workers} workers × {args.web_threads} threads), the worker and "
        f"PostgreSQL; {args.seconds:g} s a run; load average before {load_before[0]:.1f}, after {os.getloadavg()[0]:.1f})",
        "",
        "| run | reports/s | p50 ms | p95 ms | errors | responses | vs raw SQL, same clients |",
        "| --- | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for r in rows:
        base = raw8 if " 8 " in r["name"] else raw1 if " 1 " in r["name"] else None
        ratio = f"{r['rate'] / base['rate']:.2f}" if base and r is not base else ""
        lines.append(f"| {r['name']} | {r['rate']:.1f} | {r['p50']:.0f} | {r['p95']:.0f} | {r['errors']} | {r['statuses']} | {ratio} |")
    rest8 = next(r for r in rows if r["name"] == "REST, 8 clients")
    c = rows[-1]
    lines += [
        "",
        f"Aims at 8 clients: >= {AIM_RATE} reports/s ({rest8['rate']:.0f}: {'met' if rest8['rate'] >= AIM_RATE else 'missed'}), "
        f"p95 < {AIM_P95_MS} ms ({rest8['p95']:.0f}: {'met' if rest8['p95'] < AIM_P95_MS else 'missed'}); "
        f"errors at every concurrency: {sum(r['errors'] for r in rows[:3])}.",
        f"Chaos: connections killed {c['kills']}; {c['logical_reports']} reports answered 201, lost {c['lost']}, "
        f"stored twice {c['stored_twice']}, stored without a 201 {c['stored_without_answer']}, HTTP 500 {c['http_500']} "
        "(503s and broken connections were retried with the same Idempotency-Key).",
        f"Worker: {backlog} jobs and reports' notices waiting after the runs, {left} left after {drained:.0f} s.",
        f"Total bench time {time.monotonic() - total_started:.0f} s.",
    ]
    text = "\n".join(lines) + "\n"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
