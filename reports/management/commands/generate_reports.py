"""Synthetic sample reports for benchmarks and demos: `generate_reports --count N [--seed S]`.

Points are drawn in PostGIS inside the 읍면동 (each unit equally likely, so cities, cut into
many small units, get dense), routed set-based against the subdivided pieces (the same rule as
geodata.selectors.route_point), then streamed into COPY while Python builds the rows. Every
report is is_sample=True, so statistics never count it.

Bulk load: the layers cell triggers are deferred for this transaction (`layers.defer_report_cells`)
and the cell counts rebuilt once at the end with layers_reportcell_refresh(), one aggregate
instead of a set-based upsert per COPY (the upserts were most of the time at a million).
"""

from __future__ import annotations

import io
import random
import time
import uuid
from collections import Counter
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from geodata.models import Area, Level
from geodata.selectors import AreaRef, _address, routing_dong_sql, routing_unit_sql
from reports.models import Category, Channel, Outcome, Status
from reports.services import coarse_point
from reports.services_categories import category_load_defaults

BATCH = 100_000
# From this many reports the cell triggers are deferred and the counts rebuilt once (a rebuild
# costs an aggregate over every report; the triggers cost an upsert per cell touched).
BULK = 20_000
REPORT_COLUMNS = (
    "id, location, public_location, description, answers, address, status, outcome, reporter_email, reporter_name,"
    " reporter_phone, show_name, channel, media_url, device_id, account_id, token, confirmation_token, confirmed_at,"
    " is_hidden, is_sample, support_count, created_at, updated_at, acknowledged_at, closed_at, due_at, api_client_id,"
    " category_id, duplicate_of_id, local_government_id, municipal_unit_id, reporter_id, submunicipal_unit_id"
)
EVENT_COLUMNS = "report_id, kind, from_status, to_status, outcome, reason, public_note, actor_label, is_public, data, created_at, actor_id"

POINTS_SQL = """
INSERT INTO generated_points (id, geom, dong_id)
SELECT nextval(pg_get_serial_sequence('reports_report', 'id')), p.geom, a.id
FROM generated_counts c
JOIN geodata_area a ON a.id = c.area_id
CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(a.geom, c.n, c.seed)) p
"""
# Every point routed set-based by the one routing rule of geodata.selectors (route_point's).
ROUTE_SQL = f"""
INSERT INTO generated_routed (id, lon, lat, unit_id, government_id, dong_id)
SELECT g.id, ST_X(g.geom), ST_Y(g.geom), unit.id, unit.local_government_id, {routing_dong_sql("g.geom", "unit.id")}
FROM generated_points g
CROSS JOIN LATERAL ({routing_unit_sql("g.geom")}) unit
WHERE NOT EXISTS (SELECT 1 FROM generated_routed r WHERE r.id = g.id)
"""
PHRASES = ["확인 부탁드립니다", "며칠째 그대로입니다", "통행에 불편합니다", "빠른 처리 바랍니다", "아이들이 다니는 길입니다", "밤에 특히 위험해요"]
OUTCOME_WEIGHTS = {
    Outcome.RESOLVED: 60, Outcome.PARTIALLY_ACCEPTED: 10, Outcome.NOT_ACCEPTED: 8,
    Outcome.DUPLICATE: 5, Outcome.REFERRED: 9, Outcome.ALREADY_DONE: 8,
}
CHANNEL_WEIGHTS = {Channel.WEB: 70, Channel.API: 20, Channel.OPEN311: 10}


class Command(BaseCommand):
    help = "Create N synthetic sample reports spread over the real boundaries (is_sample=True)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, count: int, seed: int, **options):
        if count < 1:
            raise CommandError("--count must be at least 1")
        if not Category.objects.exists():
            category_load_defaults()
        categories = list(Category.objects.filter(is_active=True, local_government__isnull=True))
        if not categories:
            raise CommandError("No active national category to file reports under.")
        dongs = list(Area.objects.current().filter(level=Level.SUBMUNICIPAL).values_list("id", flat=True))
        if not dongs:
            raise CommandError("No boundaries: run import_boundaries first.")
        rng = random.Random(seed)
        started = timezone.now()
        self._verbose, self._clock = options.get("verbosity", 1) >= 2, time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "DROP TABLE IF EXISTS generated_counts, generated_points, generated_routed;"
                "CREATE TEMP TABLE generated_counts (area_id bigint, n integer, seed integer) ON COMMIT DROP;"
                "CREATE TEMP TABLE generated_points (id bigint, geom geometry, dong_id bigint) ON COMMIT DROP;"
                "CREATE TEMP TABLE generated_routed (id bigint PRIMARY KEY, lon float8, lat float8, unit_id bigint, government_id bigint, dong_id bigint) ON COMMIT DROP;"
            )
            if count >= BULK:
                cursor.execute("SET LOCAL layers.defer_report_cells = 'on'")
            missing = count
            for _attempt in range(5):  # a few points fall outside every unit's pieces: draw again
                cursor.execute("TRUNCATE generated_counts, generated_points")
                picks = Counter(rng.choices(dongs, k=missing))
                rows = "".join(f"{area_id}\t{n}\t{rng.randint(1, 2**31 - 1)}\n" for area_id, n in picks.items())
                copy_from(cursor, "COPY generated_counts FROM STDIN", io.StringIO(rows))
                cursor.execute(POINTS_SQL)
                self._stage("points drawn")
                cursor.execute(ROUTE_SQL)
                self._stage("points routed")
                cursor.execute("SELECT count(*) FROM generated_routed")
                missing = count - cursor.fetchone()[0]
                if missing <= 0:
                    break
            self._copy_reports(cursor, rng, categories, started)
            self._stage("reports copied")
            if count >= BULK:
                cursor.execute("SET LOCAL layers.defer_report_cells = 'off'; SELECT layers_reportcell_refresh()")
                self._stage("cell counts rebuilt")
        self.stdout.write(f"Created {count - max(missing, 0)} sample reports in {(timezone.now() - started).total_seconds():.1f} s")

    def _stage(self, name: str) -> None:
        if self._verbose:
            now = time.perf_counter()
            self.stdout.write(f"  {name}: {now - self._clock:.1f} s")
            self._clock = now

    def _copy_reports(self, cursor, rng: random.Random, categories: list[Category], now) -> None:
        areas = {row[0]: row[1:] for row in Area.objects.current().values_list("id", "code", "name", "name_en", "level", "parent_id")}
        provinces = {code: (pk, code, name, name_en) for pk, (code, name, name_en, level, _p) in areas.items() if level == Level.PROVINCE}
        addresses: dict[tuple, str] = {}

        def address(unit_id: int, dong_id: int | None) -> str:
            key = (unit_id, dong_id)
            if key not in addresses:
                code, name, name_en, _level, parent_id = areas[unit_id]
                parent = areas.get(parent_id)
                city = parent[1] if parent and parent[3] == Level.CITY else None
                province = AreaRef(*provinces[code[:2]])
                dong = AreaRef(dong_id, *areas[dong_id][:3]) if dong_id else None
                addresses[key] = _address(province, city, AreaRef(unit_id, code, name, name_en), dong)
            return addresses[key]

        weights = [3 if category.code in {"pothole", "illegal-dumping", "illegal-parking", "streetlight"} else 1 for category in categories]
        outcomes, outcome_weights = list(OUTCOME_WEIGHTS), list(OUTCOME_WEIGHTS.values())
        channels, channel_weights = list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values())
        two_years = 730 * 86400
        last_id = 0
        while True:
            # Rows in batches (the connection cannot read a cursor while it COPYs); each batch is
            # one COPY fed by a generator, so Python builds rows while PostgreSQL writes them.
            cursor.execute(
                "SELECT id, lon, lat, unit_id, government_id, dong_id FROM generated_routed WHERE id > %s ORDER BY id LIMIT %s",
                [last_id, BATCH],
            )
            batch = cursor.fetchall()
            if not batch:
                break
            last_id = batch[-1][0]
            events = io.StringIO()

            def lines(batch=batch, events=events):
                for report_id, lon, lat, unit_id, government_id, dong_id in batch:
                    category = rng.choices(categories, weights)[0]
                    # Recent reports more often: the square skews ages towards now.
                    created = now - timedelta(seconds=int(two_years * rng.random() ** 2))
                    age_days = (now - created).days
                    status = _status(rng, age_days)
                    acknowledged = created + timedelta(hours=rng.randint(2, 72)) if status != Status.SUBMITTED else None
                    closed = created + timedelta(days=rng.randint(1, max(1, min(age_days, 30)))) if status == Status.CLOSED else None
                    if closed and closed > now:
                        closed = now
                    if acknowledged and acknowledged > (closed or now):
                        acknowledged = closed or now
                    outcome = rng.choices(outcomes, outcome_weights)[0] if status == Status.CLOSED else ""
                    updated = closed or acknowledged or created
                    point = f"SRID=4326;POINT({lon!r} {lat!r})"
                    if category.is_sensitive:
                        coarse = coarse_point_of(lon, lat)
                        public = f"SRID=4326;POINT({coarse[0]!r} {coarse[1]!r})"
                    else:
                        public = point
                    description = f"[표본] {category.name}: {rng.choice(PHRASES)}"
                    events.write(f"{report_id}\tcreated\t\tsubmitted\t\t\t\t신고인\tt\t{{}}\t{created.isoformat()}\t\\N\n")
                    yield "\t".join((
                        str(report_id), point, public, description, "{}", address(unit_id, dong_id), status, outcome, "", "", "",
                        "f", rng.choices(channels, channel_weights)[0], "", "", "", str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                        str(uuid.UUID(int=rng.getrandbits(128), version=4)), created.isoformat(), "f", "t",
                        str(int(rng.expovariate(0.7))), created.isoformat(), updated.isoformat(),
                        acknowledged.isoformat() if acknowledged else r"\N", closed.isoformat() if closed else r"\N",
                        (created + timedelta(days=category.sla_days)).isoformat(), r"\N", str(category.id), r"\N",
                        str(government_id), str(unit_id), r"\N", str(dong_id) if dong_id else r"\N",
                    )) + "\n"

            copy_from(cursor, f"COPY reports_report ({REPORT_COLUMNS}) FROM STDIN", LineStream(lines()))
            events.seek(0)
            copy_from(cursor, f"COPY reports_reportevent ({EVENT_COLUMNS}) FROM STDIN", events)


def copy_from(cursor, sql: str, stream, size: int = 1 << 16) -> None:
    """COPY ... FROM STDIN fed from a read()-able text stream, in chunks (psycopg 3's cursor.copy)."""
    with cursor.cursor.copy(sql) as copy:
        while chunk := stream.read(size):
            copy.write(chunk)


class LineStream(io.TextIOBase):
    """A read()-able file over a generator of text lines, for COPY FROM STDIN without a buffer."""

    def __init__(self, lines):
        self._lines = lines
        self._pending = ""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> str:
        parts, length = [self._pending], len(self._pending)
        while size < 0 or length < size:
            line = next(self._lines, None)
            if line is None:
                break
            parts.append(line)
            length += len(line)
        text = "".join(parts)
        if size < 0:
            self._pending = ""
            return text
        self._pending = text[size:]
        return text[:size]


def coarse_point_of(lon: float, lat: float) -> tuple[float, float]:
    from django.contrib.gis.geos import Point

    point = coarse_point(Point(lon, lat, srid=4326))
    return point.x, point.y


def _status(rng: random.Random, age_days: int) -> str:
    if age_days > 30:
        weights = (8, 5, 7, 80)
    elif age_days > 7:
        weights = (20, 20, 25, 35)
    else:
        weights = (50, 25, 15, 10)
    return rng.choices([Status.SUBMITTED, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.CLOSED], weights)[0]
