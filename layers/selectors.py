"""Reads behind the map layers: SQL that builds GeoJSON, CSV rows and vector tiles in PostGIS.

Filters are never re-implemented here: every report query starts from
`reports.selectors.report_list` (public reports only) and its SQL is wrapped by the PostGIS
output around it, so exports, OGC API and tiles mean the same thing by `status=open`.
"""

from __future__ import annotations

import math
import queue
import threading
from collections.abc import Iterator

from django.db import connection, transaction
from django.db.models import F, Func, Q, TextField
from django.db.models.aggregates import Count
from django.db.models.expressions import RawSQL

from geodata.models import Area, Level
from geodata.selectors import area_geojson_sql
from layers.cells import add_cell_filters
from reports.models import Status
from reports.selectors import ReportFilters, report_list

# Public fields only: never the exact `location`, never reporter data.
REPORT_COLUMNS = {
    "category_code": F("category__code"),
    "category_name": F("category__name"),
    "local_government_code": F("local_government__code"),
    "local_government_name": F("local_government__name"),
    "sample": F("is_sample"),
}
REPORT_FIELDS = ("id", "status", "outcome", "address", "description", "support_count", "created_at", "updated_at")
CSV_HEADER = [
    "id", "category_code", "category_name", "status", "outcome", "local_government_code", "local_government_name",
    "address", "description", "support_count", "created_at", "updated_at", "sample", "lon", "lat",
]


class RawGeometry(Func):
    """The geometry column as stored (GeoDjango would cast a selected geometry to bytea)."""

    template = "%(expressions)s"
    output_field = TextField()


# One GeoJSON Feature per row: PostGIS writes it from the row (RFC 7946, lon/lat, 6 decimals, no
# crs member, every other column a property) and the top-level id is put in front, since
# PostGIS 3.3's ST_AsGeoJSON(record) has no id_column yet. The fastest way to a feature we found:
# to_jsonb(t) - 'geom' took 4x as long at a million rows, json_build_object 1.2x.
FEATURE_SQL = """'{"id":' || t.id::text || ',' || substr(ST_AsGeoJSON(t.*, 'geom', 6), 2)"""


def _filtered_reports(*, filters: ReportFilters, after_id: int | None = None, extra: Q | None = None):
    reports = report_list(filters=filters)
    if after_id is not None:
        reports = reports.filter(id__gt=after_id)
    if extra is not None:
        reports = reports.filter(extra)
    return reports.order_by("id")


def report_rows(*, filters: ReportFilters, after_id: int | None = None, extra: Q | None = None):
    """The public rows of the filtered reports, ordered by id, as a `.values()` queryset."""
    reports = _filtered_reports(filters=filters, after_id=after_id, extra=extra)
    return reports.values(*REPORT_FIELDS, **REPORT_COLUMNS, geom=RawGeometry("public_location"))


def report_features_sql(*, filters: ReportFilters, after_id: int | None = None, limit: int | None = None, extra: Q | None = None) -> tuple[str, tuple]:
    """SQL returning (id, feature json text) rows in id order.

    With a limit the page's ids are chosen first, on reports_report alone, and only those rows
    are joined and turned into JSON: a city viewport matches tens of thousands of reports.
    """
    if limit is None:
        rows = report_rows(filters=filters, after_id=after_id, extra=extra)
    else:
        page = _filtered_reports(filters=filters, after_id=after_id, extra=extra).values("id")[:limit]
        rows = report_rows(filters=ReportFilters(), extra=Q(id__in=page))
    sql, params = rows.query.sql_with_params()
    return f"SELECT t.id, {FEATURE_SQL} FROM ({sql}) t ORDER BY t.id", params


def report_export_sql(*, filters: ReportFilters) -> tuple[str, tuple]:
    """SQL returning (id, feature without its top-level id) rows for the streamed exports.

    Putting the id in front costs PostgreSQL a string copy per row (a fifth of a million-row
    export); the exports splice it in while the next batch is being built (see feature_bytes).
    """
    sql, params = report_rows(filters=filters).query.sql_with_params()
    return f"SELECT t.id, ST_AsGeoJSON(t.*, 'geom', 6) FROM ({sql}) t ORDER BY t.id", params


def feature_bytes(rows: list[tuple]) -> list[bytes]:
    """Features of report_export_sql rows (text fetched as bytes) with their top-level id."""
    return [b'{"id":%d,%b' % (fid, memoryview(text)[1:]) for fid, text in rows]


def csv_text(column: str) -> str:
    """SQL of a text cell that a spreadsheet will not run as a formula (OWASP's CSV-injection
    advice): a cell starting with = + - @ tab or carriage return gets a leading single quote.
    Every text cell of a CSV export goes through this; numbers and coordinates stay numeric."""
    return rf"CASE WHEN left({column}, 1) IN ('=', '+', '-', '@', E'\t', E'\r') THEN '''' || {column} ELSE {column} END"


CSV_TEXT_COLUMNS = (
    "category_code", "category_name", "status", "outcome", "local_government_code", "local_government_name",
    "address", "description",
)


def report_csv_sql(*, filters: ReportFilters) -> tuple[str, tuple]:
    sql, params = report_rows(filters=filters).query.sql_with_params()
    text = ", ".join(csv_text(f"t.{column}") for column in CSV_TEXT_COLUMNS)
    return (
        f"SELECT t.id, {text}, t.support_count,"
        " to_json(t.created_at) #>> '{}', to_json(t.updated_at) #>> '{}', t.sample,"
        f" round(ST_X(t.geom)::numeric, 6), round(ST_Y(t.geom)::numeric, 6) FROM ({sql}) t ORDER BY t.id",
        params,
    )


def stream_rows(sql: str, params, *, batch: int = 10000, raw_text: bool = False) -> Iterator[list[tuple]]:
    """Rows in batches through a server-side cursor inside a transaction: flat memory for any size.

    A generator: the transaction stays open while the response streams and is closed (rolled
    back, it only read) when the client goes away or the last batch is sent. With `raw_text`
    text columns come back as UTF-8 bytes, as they go out (no decoding and re-encoding).
    """
    with transaction.atomic():
        with connection.chunked_cursor() as cursor:
            cursor.cursor.itersize = batch
            if raw_text:
                for text_type in ("text", "varchar"):
                    cursor.cursor.adapters.register_loader(text_type, _RawText)
            cursor.execute(sql, params)
            yield from _prefetched(cursor.cursor, batch)


class _RawText:
    """A psycopg 3 loader (duck-typed: the driver is not imported here) that returns a text value
    as the UTF-8 bytes the server sent."""

    format = 0  # text

    def __init__(self, oid, context=None):
        pass

    def load(self, data) -> bytes:
        return bytes(data)


def _prefetched(raw_cursor, batch: int) -> Iterator[list[tuple]]:
    """Batches fetched one ahead by a thread: PostgreSQL builds the next batch while this one is
    sent (a plain FETCH loop leaves the database idle during every send: a third of the export).

    Only the thread touches the cursor until it has ended; at most two batches wait in memory.
    """
    batches: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()

    def produce() -> None:
        try:
            while not stop.is_set():
                rows = raw_cursor.fetchmany(batch)
                batches.put(rows)
                if not rows:
                    return
        except Exception as exc:  # handed to the consumer, raised there
            batches.put(exc)

    thread = threading.Thread(target=produce, name="layers-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            rows = batches.get()
            if isinstance(rows, Exception):
                raise rows
            if not rows:
                return
            yield rows
    finally:
        stop.set()
        while thread.is_alive():  # the client left early: let a blocked put finish, then end
            try:
                batches.get_nowait()
            except queue.Empty:
                pass
            thread.join(0.05)


def report_count(*, filters: ReportFilters, extra: Q | None = None, cap: int | None = None) -> int | None:
    """How many reports match; with `cap`, None when more than `cap` do.

    Counting a city's hundred thousand reports costs more than the page itself: capped, the
    count stops after cap + 1 rows of the index scan.
    """
    reports = report_list(filters=filters)
    if extra is not None:
        reports = reports.filter(extra)
    if cap is None:
        return reports.count()
    matched = reports.order_by()[: cap + 1].count()
    return matched if matched <= cap else None


def report_feature_page(*, filters: ReportFilters, after_id: int | None, limit: int, extra: Q | None = None) -> list[tuple[int, str]]:
    sql, params = report_features_sql(filters=filters, after_id=after_id, limit=limit, extra=extra)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def report_first_page_sql(*, filters: ReportFilters, limit: int, cap: int) -> tuple[str, list]:
    """SQL of (matched, id, feature) rows: the first page and the count in one statement.

    The ids of the first cap + 1 matches are taken once, in one scan: their number is
    numberMatched and the first `limit` of them are the page. Later pages (a cursor) count apart.
    """
    matches = _filtered_reports(filters=filters).values("id")[: max(cap, limit) + 1]
    ids_sql, ids_params = matches.query.sql_with_params()
    rows = report_rows(filters=ReportFilters(), extra=Q(id__in=RawSQL("SELECT id FROM page", ())))
    rows_sql, rows_params = rows.query.sql_with_params()
    sql = f"""
        WITH matched AS MATERIALIZED ({ids_sql}),
             page AS (SELECT id FROM matched ORDER BY id LIMIT %s)
        SELECT (SELECT count(*) FROM matched), t.id, {FEATURE_SQL} FROM ({rows_sql}) t ORDER BY t.id
    """
    return sql, [*ids_params, limit, *rows_params]


def report_first_page(*, filters: ReportFilters, limit: int, cap: int) -> tuple[list[tuple[int, str]], int | None]:
    """The first `limit` features and how many match (None above `cap`)."""
    result = fetch_all(*report_first_page_sql(filters=filters, limit=limit, cap=cap))
    if not result:
        return [], 0
    matched = result[0][0]
    return [(fid, text) for _count, fid, text in result], (matched if matched <= cap else None)


def report_feature_get(*, report_id: int) -> str | None:
    rows = report_feature_page(filters=ReportFilters(), after_id=None, limit=1, extra=Q(id=report_id))
    return rows[0][1] if rows else None


def report_time_extent() -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT min(created_at), max(created_at) FROM reports_report WHERE is_public"
        )
        return cursor.fetchone()


# --- Areas --------------------------------------------------------------------------------------

AREA_KINDS = {
    "local_governments": Q(is_local_government=True),
    "provinces": Q(level=Level.PROVINCE),
}


def area_rows_sql(*, kind: str, bbox=None, after_code: str | None = None, code: str | None = None,
                  limit: int | None = None, simplify: float | None = None, with_counts: ReportFilters | None = None) -> tuple[str, list]:
    """(code, feature json text) rows of areas ordered by code; polygons counter-clockwise (RFC 7946)."""
    areas = Area.objects.current().filter(AREA_KINDS[kind])
    if bbox is not None:
        areas = areas.filter(geom__bboverlaps=_bbox_polygon(bbox))
    if after_code is not None:
        areas = areas.filter(code__gt=after_code)
    if code is not None:
        areas = areas.filter(code=code)
    areas = areas.order_by("code").values("id", "code", "name", "name_en", "level", shape=RawGeometry("geom"))
    if limit is not None:
        areas = areas[:limit]
    area_sql, params = areas.query.sql_with_params()
    params = list(params)
    geometry = area_geojson_sql("a.shape", simplify)
    counts_cte, counts_join, counts_props = "", "", ""
    if with_counts is not None:
        counts_sql, counts_params = _counts_by_government_sql(with_counts)
        counts_cte = f"WITH counts AS ({counts_sql})"
        params = list(counts_params) + params
        # A province counts every report of its governments (KOSTAT codes nest by prefix).
        sums = ", ".join(f"sum({status}) AS {status}" for status in Status.values)
        counts_join = (
            f"LEFT JOIN LATERAL (SELECT sum(total) AS total, {sums} FROM counts k WHERE k.code = a.code"
            " OR (a.level = 'province' AND left(k.code, 2) = a.code)) c ON true"
        )
        counts_props = ", 'report_count', coalesce(c.total, 0), 'reports_by_status', json_build_object(" + ", ".join(
            f"'{status}', coalesce(c.{status}, 0)" for status in Status.values
        ) + ")"
    sql = f"""
        {counts_cte}
        SELECT a.code, '{{"type":"Feature","id":' || to_json(a.code)::text || ',"geometry":' || {geometry}
               || ',"properties":' || json_build_object('code', a.code, 'name', a.name, 'name_en', a.name_en,
                                                        'level', a.level{counts_props})::text || '}}'
        FROM ({area_sql}) a {counts_join}
        ORDER BY a.code
    """
    return sql, params


def _counts_by_government_sql(filters: ReportFilters) -> tuple[str, tuple]:
    counts = (
        report_list(filters=filters).order_by().values(code=F("local_government__code"))
        .annotate(total=Count("id"), **{status: Count("id", filter=Q(status=status)) for status in Status.values})
    )
    return counts.query.sql_with_params()


def area_count(*, kind: str, bbox=None) -> int:
    areas = Area.objects.current().filter(AREA_KINDS[kind])
    if bbox is not None:
        areas = areas.filter(geom__bboverlaps=_bbox_polygon(bbox))
    return areas.count()


def area_extent(*, kind: str) -> list[float] | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(a.geom) e FROM geodata_area a"
            " WHERE a.is_current AND a.level = 'province') x"
        )
        row = cursor.fetchone()
    return [round(value, 6) for value in row] if row and row[0] is not None else None


def _bbox_polygon(bbox):
    from django.contrib.gis.geos import Polygon

    return Polygon.from_bbox(bbox)


def fetch_all(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- Vector tiles ---------------------------------------------------------------------------------

TILE_EXTENT = 4096
TILE_BUFFER = 64
# Below this zoom the reports layer is drawn from the maintained cell counts (layers_reportcell),
# each tile as a 16x16 grid of cells: never a million points.
POINT_MIN_ZOOM = 13
CELL_SHIFT = 4  # cells of a tile at zoom z are the tiles of zoom z + 4
MAX_POINTS_PER_TILE = 20000


def tile_bounds_4326(z: int, x: int, y: int, margin: float = 0.0) -> tuple[float, float, float, float]:
    """The tile's lon/lat box, widened by `margin` (a fraction of the tile): Web Mercator is separable."""
    n = 2**z

    def lon(tx: float) -> float:
        return tx / n * 360.0 - 180.0

    def lat(ty: float) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * ty / n))))

    return (
        max(lon(x - margin), -180.0), max(lat(y + 1 + margin), -85.06),
        min(lon(x + 1 + margin), 180.0), min(lat(y - margin), 85.06),
    )


def report_cell_tile(*, z: int, x: int, y: int, category_ids: list[int] | None, statuses: tuple[str, ...]) -> bytes:
    """Counts per 1/16-tile cell from layers_reportcell, as points at the cells' centres."""
    level = z + CELL_SHIFT
    cell = TILE_EXTENT // (1 << CELL_SHIFT)
    where, params = ["z = %s", "x BETWEEN %s AND %s", "y BETWEEN %s AND %s"], [level, x << CELL_SHIFT, ((x + 1) << CELL_SHIFT) - 1, y << CELL_SHIFT, ((y + 1) << CELL_SHIFT) - 1]
    add_cell_filters(where, params, category_ids, statuses)
    sql = f"""
        SELECT ST_AsMVT(q, 'reports', {TILE_EXTENT}, 'geom') FROM (
            SELECT ST_MakePoint((x - %s + 0.5) * {cell}, (y - %s + 0.5) * {cell}) AS geom, sum(count)::int AS count,
                   true AS cluster
            FROM layers_reportcell WHERE {' AND '.join(where)}
            GROUP BY x, y HAVING sum(count) > 0
        ) q
    """
    return _tile_bytes(sql, [x << CELL_SHIFT, y << CELL_SHIFT, *params])


def report_point_tile(*, z: int, x: int, y: int, filters: ReportFilters) -> bytes:
    """Public points of the tile, filtered on the GiST index of public_location in SRID 4326."""
    from django.contrib.gis.geos import Polygon

    envelope = Polygon.from_bbox(tile_bounds_4326(z, x, y, TILE_BUFFER / TILE_EXTENT))
    rows = report_list(filters=filters).filter(public_location__bboverlaps=envelope).values(
        "id", "status", category_code=F("category__code"), geom=RawGeometry("public_location")
    )[:MAX_POINTS_PER_TILE]
    sql, params = rows.query.sql_with_params()
    tile_sql = f"""
        SELECT ST_AsMVT(q, 'reports', {TILE_EXTENT}, 'geom') FROM (
            SELECT t.id, t.status, t.category_code AS category,
                   ST_AsMVTGeom(ST_Transform(t.geom, 3857), ST_TileEnvelope(%s, %s, %s), {TILE_EXTENT}, {TILE_BUFFER}, true) AS geom
            FROM ({sql}) t
        ) q
    """
    return _tile_bytes(tile_sql, [z, x, y, *params])


def area_tile(*, z: int, x: int, y: int) -> bytes:
    """Local government boundaries, simplified to about a pixel before reprojection."""
    tolerance = 360.0 / (2**z) / TILE_EXTENT
    sql = f"""
        SELECT ST_AsMVT(q, 'local_governments', {TILE_EXTENT}, 'geom') FROM (
            SELECT a.code, a.name, a.name_en, a.level,
                   ST_AsMVTGeom(ST_Transform(ST_SimplifyPreserveTopology(a.geom, %s), 3857), ST_TileEnvelope(%s, %s, %s),
                                {TILE_EXTENT}, {TILE_BUFFER}, true) AS geom
            FROM geodata_area a
            WHERE a.is_current AND a.is_local_government AND a.level <> 'province'
              AND a.geom && ST_Transform(ST_TileEnvelope(%s, %s, %s, margin => %s), 4326)
        ) q WHERE q.geom IS NOT NULL
    """
    return _tile_bytes(sql, [tolerance, z, x, y, z, x, y, TILE_BUFFER / TILE_EXTENT])


def _tile_bytes(sql: str, params) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return bytes(row[0]) if row and row[0] is not None else b""
