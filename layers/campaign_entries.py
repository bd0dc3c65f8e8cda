"""Reads behind the campaign entry layers: GeoJSON, CSV rows and vector tiles built in PostGIS.

Every query here starts from one campaign's entries that are not hidden, and keeps only the
answers whose keys it is given, in SQL: callers pass the keys of
campaigns.outputs.entry_output_fields (public fields only), so a private answer never leaves
the database through an export, an OGC item or a tile. No author, ever.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from layers.selectors import FEATURE_SQL, TILE_BUFFER, TILE_EXTENT, csv_text, fetch_all

# At most this many entries in one tile: a campaign maps thousands, not millions, of points.
MAX_ENTRIES_PER_TILE = 20000


@dataclass(frozen=True)
class EntryQuery:
    campaign_id: int
    keys: list[str]  # the answer keys to show: public ones only (campaigns.outputs)
    bbox: tuple[float, float, float, float] | None = None
    start: datetime | None = None
    end: datetime | None = None
    after_id: int | None = None
    entry_id: int | None = None


# A list answer (multivaluelist) as its keys joined by `;`, as in the CSV: vector tiles keep only
# scalar properties (ST_AsMVT drops a jsonb array).
FLAT_VALUE = (
    "CASE WHEN jsonb_typeof(a.value) = 'array'"
    " THEN to_jsonb(array_to_string(ARRAY(SELECT jsonb_array_elements_text(a.value)), ';')) ELSE a.value END"
)


def _public_answers(keys_param: str = "keys", *, flat: bool = False) -> str:
    """SQL of an entry's answers restricted to the given keys (an allow-list, never a deny-list)."""
    value = FLAT_VALUE if flat else "a.value"
    return (
        f"coalesce((SELECT jsonb_object_agg(a.key, {value}) FROM jsonb_each("
        "CASE WHEN jsonb_typeof(e.answers) = 'object' THEN e.answers ELSE '{}'::jsonb END) a"
        f" WHERE a.key = ANY(%({keys_param})s::text[])), '{{}}'::jsonb)"
    )


def _where(query: EntryQuery) -> tuple[str, dict]:
    where = ["e.campaign_id = %(campaign)s", "NOT e.is_hidden"]
    params: dict = {"campaign": query.campaign_id, "keys": list(query.keys)}
    if query.bbox is not None:
        where.append("e.location && ST_MakeEnvelope(%(min_lon)s, %(min_lat)s, %(max_lon)s, %(max_lat)s, 4326)")
        params.update(zip(("min_lon", "min_lat", "max_lon", "max_lat"), query.bbox, strict=True))
    if query.start is not None:
        where.append("e.created_at >= %(start)s")
        params["start"] = query.start
    if query.end is not None:
        where.append("e.created_at <= %(end)s")
        params["end"] = query.end
    if query.after_id is not None:
        where.append("e.id > %(after)s")
        params["after"] = query.after_id
    if query.entry_id is not None:
        where.append("e.id = %(entry)s")
        params["entry"] = query.entry_id
    return " AND ".join(where), params


def entry_rows_sql(query: EntryQuery, *, limit: int | None = None, offset: int | None = None) -> tuple[str, dict]:
    """SQL of the public rows (id, entry_type, status, created_at, updated_at, answers, geom) in id order."""
    where, params = _where(query)
    page = ""
    if limit is not None:
        page += " LIMIT %(limit)s"
        params["limit"] = limit
    if offset:
        page += " OFFSET %(offset)s"
        params["offset"] = offset
    sql = f"""
        SELECT e.id, e.entry_type, e.status, e.created_at, e.updated_at, {_public_answers()} AS answers, e.location AS geom
        FROM campaigns_entry e WHERE {where} ORDER BY e.id{page}
    """
    return sql, params


def entry_export_sql(query: EntryQuery) -> tuple[str, dict]:
    """(id, feature without its top-level id) rows, as layers.exports streams them (feature_bytes)."""
    sql, params = entry_rows_sql(query)
    return f"SELECT t.id, ST_AsGeoJSON(t.*, 'geom', 6) FROM ({sql}) t ORDER BY t.id", params


def entry_feature_page(query: EntryQuery, *, limit: int, offset: int | None = None) -> list[tuple[int, str]]:
    """(id, GeoJSON Feature text) of a page, for the OGC API."""
    sql, params = entry_rows_sql(query, limit=limit, offset=offset)
    return fetch_all(f"SELECT t.id, {FEATURE_SQL} FROM ({sql}) t ORDER BY t.id", params)


def entry_count(query: EntryQuery) -> int:
    where, params = _where(query)
    return fetch_all(f"SELECT count(*) FROM campaigns_entry e WHERE {where}", params)[0][0]


def entry_time_extent(*, campaign_id: int) -> tuple:
    return fetch_all(
        "SELECT min(created_at), max(created_at) FROM campaigns_entry WHERE campaign_id = %s AND NOT is_hidden", [campaign_id]
    )[0]


def entry_csv(query: EntryQuery, *, columns: list[str]) -> tuple[list[str], str, dict]:
    """The CSV header and the SQL of its rows: fixed columns, then one per answer column (of query.keys).

    A multivaluelist answer is its keys joined by `;`. Every text cell is guarded against
    spreadsheet formulas (layers.selectors.csv_text).
    """
    sql, params = entry_rows_sql(query)
    answer_cells = []
    columns = [key for key in columns if key in query.keys]
    for index, key in enumerate(columns):
        params[f"key{index}"] = key
        value = (
            f"CASE WHEN jsonb_typeof(t.answers -> %(key{index})s) = 'array'"
            f" THEN array_to_string(ARRAY(SELECT jsonb_array_elements_text(t.answers -> %(key{index})s)), ';')"
            f" ELSE t.answers ->> %(key{index})s END"
        )
        answer_cells.append(csv_text(f"({value})"))
    answers = "".join(f", {cell}" for cell in answer_cells)
    rows_sql = (
        f"SELECT t.id, {csv_text('t.entry_type')}, {csv_text('t.status')},"
        " to_json(t.created_at) #>> '{}', to_json(t.updated_at) #>> '{}',"
        f" round(ST_X(t.geom)::numeric, 6), round(ST_Y(t.geom)::numeric, 6){answers} FROM ({sql}) t ORDER BY t.id"
    )
    # Keys are lower-case letters, digits and _ (campaigns.services): safe as headers as they are.
    header = ["id", "entry_type", "status", "created_at", "updated_at", "lon", "lat", *(f"answer_{key}" for key in columns)]
    return header, rows_sql, params


def entry_tile(query: EntryQuery, *, z: int, x: int, y: int) -> bytes:
    """The tile's entries: id, entry_type, status and the shown answers as properties.

    The answers come first in the property object so a field named like a fixed property never
    overrides it.
    """
    where, params = _where(query)
    params.update({"z": z, "x": x, "y": y, "margin": TILE_BUFFER / TILE_EXTENT, "max": MAX_ENTRIES_PER_TILE})
    sql = f"""
        SELECT ST_AsMVT(q, 'entries', {TILE_EXTENT}, 'geom', 'fid') FROM (
            SELECT e.id AS fid,
                   {_public_answers(flat=True)} || jsonb_build_object('id', e.id, 'entry_type', e.entry_type, 'status', e.status) AS properties,
                   ST_AsMVTGeom(ST_Transform(e.location, 3857), ST_TileEnvelope(%(z)s, %(x)s, %(y)s), {TILE_EXTENT}, {TILE_BUFFER}, true) AS geom
            FROM campaigns_entry e
            WHERE {where} AND e.location && ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => %(margin)s), 4326)
            ORDER BY e.id LIMIT %(max)s
        ) q WHERE q.geom IS NOT NULL
    """
    rows = fetch_all(sql, params)
    return bytes(rows[0][0]) if rows and rows[0][0] is not None else b""


def campaign_area_extents(*, campaign_ids: list[int]) -> dict[int, list[float]]:
    """Each campaign's area as [minLon, minLat, maxLon, maxLat], in one query."""
    rows = fetch_all(
        "SELECT id, ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) FROM (SELECT id, area::box2d AS b FROM campaigns_campaign"
        " WHERE id = ANY(%s) AND area IS NOT NULL) x",
        [list(campaign_ids)],
    )
    return {row[0]: [round(value, 6) for value in row[1:]] for row in rows}
