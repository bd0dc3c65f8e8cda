"""Map layers benchmark: `make bench-layers` (or `python bench/layers.py [--quick] [--sizes N,..]`).

In a dedicated database `dongne_bench` (cloned from the dev database, or migrated and imported
when the dev database is in use; `--database` picks another name) it grows the sample reports to
10k, 100k and 1M with `generate_reports`, serves the app with gunicorn (2 sync workers) and
measures, with 4 keep-alive client threads:
- a city viewport (10x10 km of central Seoul, limit=1000) through our /ogc/ items, against our
  SQL statement run directly (the floor), tipg 1.6.1 and pygeoapi 0.21.0 in their own venvs
  (bench/.venvs; tipg: uvicorn 2 workers, `TIPG_DB_TABLES=["public.reports_report"]`; pygeoapi:
  gunicorn 2 workers, config written as JSON); peers are asked for the same public properties;
- the home map's JSON (/map/reports.json) at zoom 7, 11 and 14, and the same grid views with a
  `start=` filter, which makes map_data fall back to the per-request GROUP BY (the "before");
- tiles at z7, z11, z15 (the 3 densest tiles of each zoom): ours against a naive ST_AsMVT over the
  raw points and tipg, with each of our tiles' p95 and size;
- the full GeoJSON export through HTTP (curl to /dev/null; wall time, peak growth of the
  server's RSS) against psql COPY (SELECT ST_AsGeoJSON(t.*) ...) and ogr2ogr -f GeoJSONSeq.
Everything shares the same 2 cores: PostgreSQL, the servers under test, the client threads (and
whatever else runs on the machine). The database gets jit=off and no parallel workers per query,
for every server alike. Prints a table and writes it to bench/results/layers.md. A peer that
cannot be installed or run is recorded as such.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
VENVS = ROOT / "bench" / ".venvs"
RESULTS = ROOT / "bench" / "results" / "layers.md"
BENCH_DB = "dongne_bench"
# 10 x 10 km around City Hall, Seoul.
CITY_BBOX = (126.9215, 37.5215, 127.0345, 37.6115)
CLIENTS = 4
HOME_VIEWS = {
    "z7 all Korea": "bbox=123.5,33.0,132.0,38.7&zoom=7",
    "z7 all Korea, category+status": "bbox=123.5,33.0,132.0,38.7&zoom=7&category=pothole&status=open",
    "z11 Seoul": "bbox=126.76,37.43,127.19,37.70&zoom=11",
    "z14 central Seoul (points)": "bbox=126.950,37.555,127.004,37.585&zoom=14",
}
# The peers serve the raw table: ask them for the same public fields as ours.
PEER_PROPERTIES = ("id", "status", "outcome", "address", "description", "support_count", "created_at", "updated_at")


def base_url() -> str:
    url = os.environ.get("DATABASE_URL") or (ROOT / ".local" / "database_url").read_text().strip()
    return url


def with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return parts._replace(path="/" + name).geturl()


def admin(url: str):
    conn = psycopg.connect(with_db(url, "postgres"), cursor_factory=psycopg.ClientCursor)
    conn.autocommit = True
    return conn


def prepare_database(url: str, fresh: bool) -> str:
    source = urlsplit(url).path.lstrip("/")
    bench = with_db(url, BENCH_DB)
    conn = admin(url)
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB])
        exists = cur.fetchone() is not None
        if exists and fresh:
            cur.execute(f"DROP DATABASE {BENCH_DB} WITH (FORCE)")
            exists = False
        if not exists:
            for _attempt in range(10):  # the template must have no other session for a moment
                try:
                    cur.execute(f'CREATE DATABASE {BENCH_DB} TEMPLATE "{source}"')
                    break
                except psycopg.errors.ObjectInUse:
                    time.sleep(1)
            else:
                cur.execute(f"CREATE DATABASE {BENCH_DB}")
                env = {**os.environ, "DATABASE_URL": bench}
                subprocess.run([PY, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True)
                subprocess.run([PY, "manage.py", "import_boundaries", str(ROOT.parent / "shared" / "data" / "kostat-2018")], cwd=ROOT, env=env, check=True)
        # A web workload on 2 busy cores: no JIT compile and no parallel workers per request
        # (each cost more to start than the small queries take; the deployment default we advise).
        cur.execute(f"ALTER DATABASE {BENCH_DB} SET jit = off")
        cur.execute(f"ALTER DATABASE {BENCH_DB} SET max_parallel_workers_per_gather = 0")
    conn.close()
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env={**os.environ, "DATABASE_URL": bench}, check=True)
    return bench


def report_count(bench: str) -> int:
    with psycopg.connect(bench, cursor_factory=psycopg.ClientCursor) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM reports_report WHERE confirmed_at IS NOT NULL AND NOT is_hidden")
        return cur.fetchone()[0]


def grow(bench: str, target: int) -> float:
    missing = target - report_count(bench)
    started = time.perf_counter()
    if missing > 0:
        subprocess.run([PY, "manage.py", "generate_reports", "--count", str(missing), "--seed", str(target)],
                       cwd=ROOT, env={**os.environ, "DATABASE_URL": bench}, check=True)
        vacuum(bench)
    return time.perf_counter() - started


def vacuum(bench: str) -> None:
    conn = psycopg.connect(bench, cursor_factory=psycopg.ClientCursor)  # not `with conn`: that opens a transaction, and VACUUM refuses one
    conn.autocommit = True
    with conn.cursor() as cur:
        for table in ("reports_report", "reports_reportevent", "layers_reportcell"):
            cur.execute(f"VACUUM ANALYZE {table}")
    conn.close()


# --- servers -----------------------------------------------------------------------------------

class Server:
    def __init__(self, name: str, cmd: list[str], env: dict, port: int, probe: str, cwd: Path = ROOT):
        self.name, self.port, self.probe = name, port, probe
        self.log = tempfile.NamedTemporaryFile(prefix=f"bench-{name}-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **env}, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait(self, timeout: float = 60) -> bool:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                conn.request("GET", self.probe)
                if conn.getresponse().status < 500:
                    return True
            except OSError:
                time.sleep(0.5)
        return False

    def pids(self) -> list[int]:
        out = subprocess.run(["pgrep", "-g", str(self.proc.pid)], capture_output=True, text=True).stdout.split()
        return [int(pid) for pid in out]

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


def start_ours(bench: str, port: int) -> Server:
    gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    env = {"DATABASE_URL": bench, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost", "LOG_LEVEL": "WARNING", "DB_CONN_MAX_AGE": "600"}
    return Server("ours", [str(gunicorn), "config.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "600"], env, port, "/ogc/conformance")


def ensure_venv(name: str, packages: list[str]) -> Path | None:
    venv = VENVS / name
    python = venv / "bin" / "python"
    marker = venv / ".installed"
    if not marker.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=False)
        result = subprocess.run([str(python), "-m", "pip", "install", "-q", *packages], capture_output=True, text=True)
        if result.returncode != 0:
            print(f"{name}: install failed: {result.stderr[-500:]}")
            return None
        marker.touch()
    return venv


def start_tipg(bench: str, port: int) -> Server | str:
    venv = ensure_venv("tipg", ["tipg==1.6.1", "uvicorn"])
    if venv is None:
        return "install failed"
    env = {"DATABASE_URL": bench, "TIPG_DB_SCHEMAS": '["public"]', "TIPG_DB_TABLES": '["public.reports_report"]', "TIPG_MAX_FEATURES_PER_QUERY": "10000"}
    server = Server("tipg", [str(venv / "bin" / "uvicorn"), "tipg.main:app", "--port", str(port), "--workers", "2", "--log-level", "warning"], env, port, "/collections")
    return server if server.wait() else _failed(server)


def pygeoapi_config(port: int, bench: str) -> dict:
    """pygeoapi's YAML config, written as JSON (YAML's subset: no quoting surprises with URLs)."""
    parts = urlsplit(bench)
    contact = {key: "bench" for key in ("name", "position", "address", "city", "stateorprovince", "postalcode", "phone", "fax", "hours", "instructions")}
    return {
        "server": {
            "bind": {"host": "127.0.0.1", "port": port}, "url": f"http://127.0.0.1:{port}",
            "mimetype": "application/json; charset=UTF-8", "encoding": "utf-8", "languages": ["en-US"],
            "limits": {"default_items": 10, "max_items": 10000},
            "map": {"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "attribution": "OSM"},
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {"title": "bench", "description": "bench", "keywords": ["bench"], "keywords_type": "theme",
                               "terms_of_service": "none", "url": "http://example.org"},
            "license": {"name": "CC-BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
            "provider": {"name": "bench", "url": "http://example.org"},
            "contact": {**contact, "country": "KR", "email": "bench@example.org", "url": "http://example.org", "role": "pointOfContact"},
        },
        "resources": {
            "reports": {
                "type": "collection", "title": "reports", "description": "reports", "keywords": ["reports"],
                "extents": {"spatial": {"bbox": [124, 33, 132, 39], "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}},
                "providers": [{
                    "type": "feature", "name": "PostgreSQL",
                    "data": {"host": parts.hostname, "port": parts.port or 5432, "dbname": BENCH_DB,
                             "user": parts.username or "postgres", "password": parts.password or "", "search_path": ["public"]},
                    "id_field": "id", "table": "reports_report", "geom_field": "public_location",
                    # The same public fields as ours (never reporter data).
                    "properties": list(PEER_PROPERTIES),
                }],
            },
        },
    }


def start_pygeoapi(bench: str, port: int) -> Server | str:
    venv = ensure_venv("pygeoapi", ["pygeoapi==0.21.0", "psycopg2-binary", "gunicorn==23.0.0"])
    if venv is None:
        return "install failed"
    config = VENVS / "pygeoapi-config.yml"
    config.write_text(json.dumps(pygeoapi_config(port, bench), indent=1))
    openapi = VENVS / "pygeoapi-openapi.yml"
    env = {"PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
    result = subprocess.run([str(venv / "bin" / "pygeoapi"), "openapi", "generate", str(config), "--output-file", str(openapi)],
                            env={**os.environ, **env}, capture_output=True, text=True)
    if result.returncode != 0:
        return "openapi generation failed: " + result.stderr.strip().splitlines()[-1][:120] if result.stderr.strip() else "openapi generation failed"
    server = Server("pygeoapi", [str(venv / "bin" / "gunicorn"), "pygeoapi.flask_app:APP", "-w", "2", "-b", f"127.0.0.1:{port}"], env, port, "/conformance")
    return server if server.wait() else _failed(server)


def _failed(server: Server) -> str:
    server.stop()
    text = Path(server.log.name).read_text(errors="replace").strip().splitlines()
    return "did not start: " + (text[-1][:150] if text else "no output")


# --- load ---------------------------------------------------------------------------------------

def http_load(port: int, paths: list[str], seconds: float, check=None) -> dict:
    """4 threads, each with one keep-alive connection, cycling through `paths` for `seconds`."""
    latencies: list[float] = []
    errors: list[str] = []
    per_path: dict[str, list[tuple[float, int]]] = {}
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        index = offset
        mine, by_path = [], {}
        while time.perf_counter() < deadline:
            path = paths[index % len(paths)]
            index += 1
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as exc:
                errors.append(str(exc))
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                continue
            mine.append(time.perf_counter() - started)
            by_path.setdefault(path, []).append((mine[-1], len(body)))
            if response.status not in (200, 204) or (check and not check(body)):
                errors.append(f"{response.status} {path}")
        with lock:
            latencies.extend(mine)
            for key, values in by_path.items():
                per_path.setdefault(key, []).extend(values)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = summary(latencies, time.perf_counter() - started, errors)
    result["paths"] = {
        path: {"p95": sorted(v[0] for v in values)[min(len(values) - 1, int(len(values) * 0.95))] * 1000, "bytes": max(v[1] for v in values)}
        for path, values in per_path.items()
    }
    return result


def sql_load(bench: str, statements: list[str], seconds: float) -> dict:
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(offset: int) -> None:
        conn = psycopg.connect(bench, cursor_factory=psycopg.ClientCursor)
        conn.autocommit = True
        cur = conn.cursor()
        mine, index = [], offset
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            cur.execute(statements[index % len(statements)])
            cur.fetchall()
            mine.append(time.perf_counter() - started)
            index += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return summary(latencies, time.perf_counter() - started, [])


def summary(latencies: list[float], elapsed: float, errors: list[str]) -> dict:
    if not latencies:
        return {"p50": None, "p95": None, "rps": 0.0, "n": 0, "errors": len(errors), "error": errors[:1]}
    ordered = sorted(latencies)
    return {
        "p50": statistics.median(ordered) * 1000,
        "p95": ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000,
        "rps": len(ordered) / elapsed,
        "n": len(ordered),
        "errors": len(errors),
        "error": errors[:1],
    }


# --- the cases -------------------------------------------------------------------------------------

def django_sql(bench: str) -> dict:
    """Our own SQL for the viewport and a naive tile, rendered by the app's selectors."""
    code = """
import json, django, os
django.setup()
from django.db import connection
from reports.selectors import report_filters_parse
from layers import selectors
filters = report_filters_parse({"bbox": os.environ["BBOX"]})
sql, params = selectors.report_first_page_sql(filters=filters, limit=1001, cap=10000)
print(json.dumps({"viewport": connection.ops.compose_sql(sql, params)}))
"""
    env = {**os.environ, "DATABASE_URL": bench, "DJANGO_SETTINGS_MODULE": "config.settings", "BBOX": ",".join(map(str, CITY_BBOX)), "PYTHONPATH": str(ROOT)}
    out = subprocess.run([PY, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def naive_tile_sql(z: int, x: int, y: int) -> str:
    return f"""
        SELECT ST_AsMVT(q, 'reports', 4096, 'geom') FROM (
            SELECT id, status, ST_AsMVTGeom(ST_Transform(public_location, 3857), ST_TileEnvelope({z}, {x}, {y}), 4096, 64, true) AS geom
            FROM reports_report
            WHERE confirmed_at IS NOT NULL AND NOT is_hidden
              AND public_location && ST_Transform(ST_TileEnvelope({z}, {x}, {y}, margin => 64.0 / 4096), 4326)
        ) q"""


def naive_tile_bytes(bench: str, z: int, x: int, y: int) -> int:
    with psycopg.connect(bench, cursor_factory=psycopg.ClientCursor) as conn, conn.cursor() as cur:
        cur.execute(naive_tile_sql(z, x, y))
        data = cur.fetchone()[0]
    return len(data) if data else 0


def densest_tiles(bench: str) -> list[tuple[int, int, int]]:
    tiles = []
    with psycopg.connect(bench, cursor_factory=psycopg.ClientCursor) as conn, conn.cursor() as cur:
        for z in (7, 11, 15):
            cur.execute("SELECT x, y FROM layers_reportcell WHERE z = %s GROUP BY x, y ORDER BY sum(count) DESC LIMIT 3", [z])
            tiles += [(z, x, y) for x, y in cur.fetchall()]
    return tiles


def export_case(port: int, server: Server) -> dict:
    baseline = sum(rss_kb(pid) for pid in server.pids())
    peak = [baseline]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], sum(rss_kb(pid) for pid in server.pids()))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    # curl to /dev/null, as psql COPY writes to /dev/null: the client costs no Python time.
    out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{size_download}",
                          f"http://127.0.0.1:{port}/exports/reports.geojson"], capture_output=True, text=True).stdout.split()
    elapsed = time.perf_counter() - started
    status, size = int(out[0]), int(out[1])
    done.set()
    sampler.join()
    return {"seconds": elapsed, "mb": size / 1e6, "peak_mb": (peak[0] - baseline) / 1024, "status": status}


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


EXPORT_SELECT = (
    "SELECT r.id, c.code AS category_code, c.name AS category_name, r.status, r.outcome, lg.code AS local_government_code,"
    " lg.name AS local_government_name, r.address, r.description, r.support_count, r.created_at, r.updated_at,"
    " r.is_sample AS sample, r.public_location AS geom FROM reports_report r JOIN reports_category c ON c.id = r.category_id"
    " JOIN geodata_area lg ON lg.id = r.local_government_id WHERE r.confirmed_at IS NOT NULL AND NOT r.is_hidden ORDER BY r.id"
)


def timed(cmd: list[str], env: dict | None = None) -> float | str:
    started = time.perf_counter()
    result = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})
    if result.returncode != 0:
        return "failed: " + result.stderr.strip()[-120:]
    return time.perf_counter() - started


def fmt(value, digits: int = 1) -> str:
    return "—" if value is None else (f"{value:.{digits}f}" if isinstance(value, float) else str(value))


def run_step(bench: str, size: int, seconds: float, peers: dict, ours: Server, lines: list[str]) -> None:
    bbox = ",".join(map(str, CITY_BBOX))
    props = ",".join(PEER_PROPERTIES)
    sql = django_sql(bench)
    lines.append(f"\n### {size:,} reports\n")
    lines.append("| case | p50 ms | p95 ms | req/s | ratio p50 to floor | requests | errors |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|")

    def row(name: str, result: dict | str, floor: float | None) -> None:
        if isinstance(result, str):
            lines.append(f"| {name} | not run: {result} | | | | | |")
            return
        ratio = result["p50"] / floor if floor and result["p50"] else None
        lines.append(f"| {name} | {fmt(result['p50'])} | {fmt(result['p95'])} | {fmt(result['rps'])} | {fmt(ratio, 2)} | {result['n']} | {result['errors']} |")

    floor = sql_load(bench, [sql["viewport"]], seconds)
    row("viewport: SQL floor (features, direct)", floor, floor["p50"])
    row("viewport: ours /ogc items", http_load(ours.port, [f"/ogc/collections/reports/items?bbox={bbox}&limit=1000"], seconds,
                                               lambda b: b'"numberReturned"' in b), floor["p50"])
    tipg = peers.get("tipg")
    row("viewport: tipg", tipg if isinstance(tipg, str) else http_load(
        tipg.port, [f"/collections/public.reports_report/items?bbox={bbox}&limit=1000&geom-column=public_location&properties={props}"], seconds), floor["p50"])
    pygeoapi = peers.get("pygeoapi")
    row("viewport: pygeoapi", pygeoapi if isinstance(pygeoapi, str) else http_load(
        pygeoapi.port, [f"/collections/reports/items?bbox={bbox}&limit=1000&f=json"], seconds), floor["p50"])

    # The home map's data: grid counts read from layers_reportcell (zoom < 13), newest points when
    # zoomed in, and the list. A date filter makes map_data fall back to a GROUP BY over the
    # reports in view: that is the "before" figure.
    for label, view in HOME_VIEWS.items():
        path = f"/map/reports.json?{view}"
        result = http_load(ours.port, [path], seconds, lambda b: b'"mode"' in b)
        row(f"home map {label}", result, None)
        if "points" not in label:
            row(f"home map {label}, per-request GROUP BY (start= filter)", http_load(
                ours.port, [path + "&start=2000-01-01"], seconds, lambda b: b'"mode"' in b), None)

    tiles = densest_tiles(bench)
    per_tile = []
    for z in (7, 11, 15):
        chosen = [t for t in tiles if t[0] == z] or [(z, 0, 0)]
        naive = sql_load(bench, [naive_tile_sql(*t) for t in chosen], seconds)
        row(f"tiles z{z}: naive ST_AsMVT over raw points (direct SQL)", naive, naive["p50"])
        mine = http_load(ours.port, [f"/tiles/reports/{zz}/{x}/{y}.mvt" for zz, x, y in chosen], seconds)
        row(f"tiles z{z}: ours", mine, naive["p50"])
        for zz, x, y in chosen:
            stats = mine["paths"].get(f"/tiles/reports/{zz}/{x}/{y}.mvt", {})
            per_tile.append((f"{zz}/{x}/{y}", stats.get("p95"), stats.get("bytes"), naive_tile_bytes(bench, zz, x, y)))
        row(f"tiles z{z}: tipg", tipg if isinstance(tipg, str) else http_load(
            tipg.port, [f"/collections/public.reports_report/tiles/WebMercatorQuad/{zz}/{x}/{y}?geom-column=public_location&properties=id,status" for zz, x, y in chosen],
            seconds), naive["p50"])

    lines.append("\n| tile (ours, densest first) | p95 ms | KB | naive tile KB |")
    lines.append("|---|---:|---:|---:|")
    for name, p95, size, naive_size in per_tile:
        lines.append(f"| {name} | {fmt(p95)} | {fmt(size / 1024 if size is not None else None)} | {fmt(naive_size / 1024)} |")

    lines.append("\n| full GeoJSON export | seconds | ratio to COPY | MB | peak server RSS growth MB |")
    lines.append("|---|---:|---:|---:|---:|")
    result = export_case(ours.port, ours)
    psql = shutil.which("psql")
    copy = f"COPY (SELECT ST_AsGeoJSON(t.*, 'geom', 6) FROM ({EXPORT_SELECT}) t) TO STDOUT"
    floor = timed([psql, bench, "-c", copy]) if psql else "no psql"
    parts = urlsplit(bench)
    pg = f"PG:host={parts.hostname} port={parts.port or 5432} dbname={BENCH_DB} user={parts.username or 'postgres'}"
    ogr = timed(["ogr2ogr", "-f", "GeoJSONSeq", "/vsistdout/", pg, "-sql", EXPORT_SELECT])

    def ratio(value) -> str:
        return fmt(value / floor, 2) if isinstance(value, float) and isinstance(floor, float) else "—"

    lines.append(f"| ours /exports/reports.geojson (HTTP, curl) | {fmt(result['seconds'])} | {ratio(result['seconds'])} | {fmt(result['mb'])} | {fmt(result['peak_mb'])} |")
    lines.append(f"| psql COPY ST_AsGeoJSON (floor) | {fmt(floor)} | 1.00 | | |")
    lines.append(f"| ogr2ogr -f GeoJSONSeq | {fmt(ogr)} | {ratio(ogr)} | | |")
    print("\n".join(lines[-45:]), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10k reports only")
    parser.add_argument("--fresh", action="store_true", help="re-create dongne_bench from the dev database")
    parser.add_argument("--seconds", type=float, default=None, help="load duration per case")
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--sizes", help="comma-separated report counts, e.g. 1000000 (default 10k,100k,1M)")
    parser.add_argument("--database", default=None, help="benchmark database (default dongne_bench)")
    args = parser.parse_args()
    global BENCH_DB
    BENCH_DB = args.database or BENCH_DB
    steps = [10_000] if args.quick else [10_000, 100_000, 1_000_000]
    if args.sizes:
        steps = [int(size) for size in args.sizes.split(",")]
    seconds = args.seconds or (3.0 if args.quick else 8.0)
    bench = prepare_database(base_url(), args.fresh)
    lines = ["# Map layers benchmark", "",
             f"{time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, {CLIENTS} keep-alive clients, {seconds:.0f} s per case; "
             f"viewport bbox {CITY_BBOX} limit=1000; tiles: the 3 densest at each zoom. Database `{BENCH_DB}`."]
    for size in steps:
        took = grow(bench, size)
        lines.append(f"\n(grown to {report_count(bench):,} public reports; generate_reports took {took:.1f} s)")
        ours = start_ours(bench, 8801)
        peers: dict = {}
        try:
            if not ours.wait():
                raise SystemExit("our server did not start: see " + ours.log.name)
            if args.no_peers:
                peers = {"tipg": "skipped (--no-peers)", "pygeoapi": "skipped (--no-peers)"}
            else:
                peers["tipg"] = start_tipg(bench, 8802)
                peers["pygeoapi"] = start_pygeoapi(bench, 8803)
            run_step(bench, size, seconds, peers, ours, lines)
        finally:
            ours.stop()
            for peer in peers.values():
                if isinstance(peer, Server):
                    peer.stop()
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text("\n".join(lines) + "\n")
    print(f"\nWritten to {RESULTS}")


if __name__ == "__main__":
    main()
