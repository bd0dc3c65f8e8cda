"""Fuzzed public GET requests, counting 5xx answers: `make bench-fuzz` (not a test).

In a throwaway database (see bench/abuse.py) with a few reports, it sends N requests (default
5,000, fixed seed) through Django's test client to the public GET endpoints of every channel (web
map JSON and pages, REST, Open311, OGC API, exports, tiles), with values shaped like those that
once broke things: Unicode digits, huge numbers, impossible dates and offsets, NUL bytes, long
strings, random text. Prints the count of answers by status class and writes bench/results/fuzz.md.
"""

from __future__ import annotations

import os
import random
import string
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
RESULTS = ROOT / "bench" / "results" / "fuzz.md"

ENDPOINTS = {
    "/map/reports.json": ["bbox", "zoom", "category", "status", "start", "end", "local_government"],
    "/map/places.json": ["q"],
    "/api/v1/reports/": ["bbox", "category", "status", "start", "end", "local_government", "page_size", "cursor"],
    "/api/v1/areas/": ["level", "parent", "local_government"],
    "/api/v1/areas/lookup": ["lat", "lon"],
    "/open311/v2/requests.json": ["service_request_id", "service_code", "start_date", "end_date", "status", "jurisdiction_id",
                                  "page", "page_size", "lat", "long", "bbox", "extensions"],
    "/open311/v2/services.json": ["jurisdiction_id", "lat", "long"],
    "/ogc/collections/reports/items": ["bbox", "datetime", "limit", "cursor", "f", "category", "status"],
    "/ogc/collections/local_governments/items": ["bbox", "limit", "cursor", "f"],
    "/exports/reports.geojson": ["bbox", "category", "status", "start", "end", "local_government"],
    "/exports/reports.csv": ["bbox", "category", "status", "start", "end"],
    "/exports/local_governments.geojson": ["simplify", "status", "bbox"],
    "/": ["category", "status"],
}
PATHS = ["/api/v1/reports/{}/", "/open311/v2/requests/{}.json", "/ogc/collections/reports/items/{}", "/areas/{}/",
         "/tiles/reports/{}/1/1.mvt", "/tiles/reports/7/{}/50.mvt", "/api/v1/areas/{}/", "/reports/{}/"]
SHAPED = ["²", "١٢", "-1", "0", "1e309", "nan", "inf", "9" * 5000, "2026-05-01T10:00:00+23:59", "9999-12-31T23:59:59",
          "0000-00-00", "2026-02-30", "1,2,3,4", "-180,-90,180,90", "open,closed", "../..", "2026-01-01/..", "\x00", "a\x00b",
          "%00", "x" * 3000, "[" * 100, "종로구", "11010", str(2**64), "-" + "9" * 30, "'; DROP TABLE x; --", "<script>", "😀" * 50]


def value(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.45:
        return rng.choice(SHAPED)
    if kind < 0.65:
        return str(rng.randint(-(2**70), 2**70))
    if kind < 0.8:
        return repr(rng.uniform(-1e6, 1e6))
    alphabet = string.printable + "가나다²١٢\u200b\ufeff\x00"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))


def main(count: int = 5000, seed: int = 7) -> None:
    import django

    django.setup()
    from bench.abuse import throwaway_database

    drop = throwaway_database()
    try:
        from django.test import Client

        from tests.factories import JONGNO, CategoryFactory, make_report

        category = CategoryFactory(code="fuzz-pothole")
        for _ in range(5):
            make_report(category=category, at=JONGNO)
        client = Client(raise_request_exception=False)
        rng = random.Random(seed)
        by_class: Counter[str] = Counter()
        failures: list[str] = []
        started = time.perf_counter()
        for _ in range(count):
            if rng.random() < 0.2:
                url, params = rng.choice(PATHS).format(value(rng).replace("/", "")[:200] or "x"), {}
            else:
                url = rng.choice(sorted(ENDPOINTS))
                names = rng.sample(ENDPOINTS[url], k=rng.randint(0, min(3, len(ENDPOINTS[url]))))
                params = {name: value(rng) for name in names}
            try:
                status = client.get(url, params).status_code
            except Exception as exc:  # a crash outside the handler is a 5xx too
                status, failures = 599, failures + [f"{url} {params!r}: {exc!r}"[:300]]
            by_class[f"{status // 100}xx"] += 1
            if status >= 500 and len(failures) < 20:
                failures.append(f"{status} {url} {params!r}"[:300])
        seconds = time.perf_counter() - started
    finally:
        drop()
    lines = [
        f"# Fuzzed public GET requests ({count}, seed {seed}, {seconds:.0f} s, Django test client in one process)",
        "",
        "| answers | count |",
        "| --- | ---: |",
        *[f"| {key} | {by_class[key]} |" for key in sorted(by_class)],
        "",
        f"5xx: {by_class['5xx']} (aim: 0)",
        *[f"- {failure}" for failure in failures],
    ]
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
