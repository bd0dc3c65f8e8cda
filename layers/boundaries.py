"""Our own administrative boundaries as a base layer: /tiles/boundaries/{z}/{x}/{y}.mvt.

Drawn beneath the reports on every map, so a map is never a grey field when no basemap is
configured or its tile server cannot be reached (a closed government network). Layers:
`provinces` (always), `local_governments` (from zoom 7), `submunicipal` 읍면동 (from zoom 12), and
`labels`: one point per area with its names, the provinces' up to zoom 8, the governments' to 11,
then the 읍면동's. Geometries are simplified to about a pixel of the tile before encoding.
"""

from __future__ import annotations

from django.db import connection

from layers.selectors import TILE_BUFFER, TILE_EXTENT

LOCAL_GOVERNMENT_MIN_ZOOM = 7
SUBMUNICIPAL_MIN_ZOOM = 12
LABEL_ZOOMS = {"province": (0, 8), "local_government": (9, 11), "submunicipal": (12, 99)}

# One CTE per tile: the current areas whose box meets the tile (index on geom), simplified once,
# then one MVT layer per kind. `kind` names what an area is on the map, not its KOSTAT level:
# cities with districts are local governments, their districts are not drawn.
BOUNDARY_TILE_SQL = f"""
WITH env AS (
    SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS tile,
           ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => %(margin)s), 4326) AS box
), area AS MATERIALIZED (
    SELECT a.code, a.name, a.name_en, a.geom,
           CASE WHEN a.level = 'province' THEN 'province'
                WHEN a.is_local_government THEN 'local_government'
                ELSE a.level END AS kind
    FROM geodata_area a, env
    WHERE a.is_current AND a.geom && env.box
      AND (a.level = 'province'
           OR (a.is_local_government AND %(z)s >= {LOCAL_GOVERNMENT_MIN_ZOOM})
           OR (a.level = 'submunicipal' AND %(z)s >= {SUBMUNICIPAL_MIN_ZOOM}))
), shapes AS (
    -- Clipped to the tile (and its margin) before simplifying: zoomed in, a province's
    -- thousands of vertices outside the tile cost nothing.
    SELECT kind, code, name, name_en,
           ST_AsMVTGeom(ST_Transform(ST_Simplify(ST_ClipByBox2D(area.geom, env.box), %(tolerance)s), 3857),
                        env.tile, {TILE_EXTENT}, {TILE_BUFFER}, true) AS geom
    FROM area, env
), labels AS (
    -- A label belongs to the one tile holding its point, so neighbours never draw it twice.
    -- The point comes from the whole area (simplified alike in every tile), never the clipped part.
    SELECT kind, code, name, name_en, ST_AsMVTGeom(ST_Transform(pt, 3857), env.tile, {TILE_EXTENT}, 0, true) AS geom
    FROM area CROSS JOIN LATERAL ST_PointOnSurface(ST_Simplify(area.geom, %(tolerance)s)) AS pt, env
    WHERE ((kind = 'province' AND %(z)s <= {LABEL_ZOOMS["province"][1]})
           OR (kind = 'local_government' AND %(z)s BETWEEN {LABEL_ZOOMS["local_government"][0]} AND {LABEL_ZOOMS["local_government"][1]})
           OR (kind = 'submunicipal' AND %(z)s >= {LABEL_ZOOMS["submunicipal"][0]}))
      AND ST_Intersects(ST_Transform(pt, 3857), env.tile)
)
SELECT
    (SELECT coalesce(ST_AsMVT(s, 'provinces', {TILE_EXTENT}, 'geom'), '') FROM shapes s WHERE kind = 'province' AND geom IS NOT NULL)
 || (SELECT coalesce(ST_AsMVT(s, 'local_governments', {TILE_EXTENT}, 'geom'), '') FROM shapes s WHERE kind = 'local_government' AND geom IS NOT NULL)
 || (SELECT coalesce(ST_AsMVT(s, 'submunicipal', {TILE_EXTENT}, 'geom'), '') FROM shapes s WHERE kind = 'submunicipal' AND geom IS NOT NULL)
 || (SELECT coalesce(ST_AsMVT(l, 'labels', {TILE_EXTENT}, 'geom'), '') FROM labels l WHERE geom IS NOT NULL)
"""


def boundary_tile(*, z: int, x: int, y: int) -> bytes:
    """One vector tile of the current boundaries (empty bytes where there are none)."""
    with connection.cursor() as cursor:
        cursor.execute(BOUNDARY_TILE_SQL, {
            "z": z, "x": x, "y": y, "margin": TILE_BUFFER / TILE_EXTENT,
            "tolerance": 360.0 / (2**z) / 512,  # about half a pixel of a 256 px tile, in degrees
        })
        row = cursor.fetchone()
    return bytes(row[0]) if row and row[0] is not None else b""
