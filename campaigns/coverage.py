"""Coverage against a real denominator: the campaign's area cut into units, in PostGIS.

Units are the area's 읍면동 (clipped to the area) or a 250 m square grid laid in EPSG:5179, the
Korean metric projection, so every cell is 250 m a side on the ground. A unit is covered when at
least one validated, non-hidden entry lies in it.
"""

from __future__ import annotations

import json

from django.contrib.gis.geos import Point
from django.db import connection

from campaigns.models import Campaign, CampaignUnit, CoverageUnit, EntryStatus

GRID_METRES = 250
GRID_CELL_SQUARE_METRES = GRID_METRES * GRID_METRES
# A 읍면동 counts when at least this share of it lies in the area, or it holds at least this
# share of the area: the 읍면동 layer is generalized apart from the 시군구 one, and slivers of the
# neighbours along a border are no part of a government's campaign.
DONG_MIN_SHARE = 0.1
# Grid cells cut by the border to less than this share of a cell are left out of the denominator.
GRID_MIN_SHARE = 0.05

_DONG_UNITS_SQL = """
INSERT INTO campaigns_campaignunit (campaign_id, kind, area_id, label, geom, priority)
SELECT c.id, 'dong', d.id, concat_ws(' ', lg.name, d.name), ST_Multi(x.clip), false
FROM campaigns_campaign c
JOIN geodata_area d ON d.is_current AND d.level = 'submunicipal' AND d.geom && c.area AND ST_Intersects(d.geom, c.area)
LEFT JOIN geodata_area lg ON lg.id = d.local_government_id
CROSS JOIN LATERAL (SELECT ST_CollectionExtract(ST_Intersection(d.geom, c.area), 3) AS clip) x
WHERE c.id = %(campaign)s AND NOT ST_IsEmpty(x.clip)
  AND (ST_Area(x.clip) >= %(share)s * ST_Area(d.geom) OR ST_Area(x.clip) >= %(share)s * ST_Area(c.area))
ORDER BY d.code
"""

_GRID_UNITS_SQL = """
WITH area AS (SELECT ST_Transform(area, 5179) AS g FROM campaigns_campaign WHERE id = %(campaign)s),
cells AS (
    SELECT grid.i, grid.j, ST_CollectionExtract(ST_Intersection(grid.geom, area.g), 3) AS clip
    FROM area, ST_SquareGrid(%(size)s, area.g) AS grid
    WHERE ST_Intersects(grid.geom, area.g)
)
-- A cell is named after the 읍면동 its middle lies in, numbered north-west to south-east within it
-- ("청운효자동 3"), so volunteers know where it is.
, kept AS (
    SELECT i, j, ST_Transform(clip, 4326) AS geom FROM cells
    WHERE NOT ST_IsEmpty(clip) AND ST_Area(clip) >= %(min_area)s
), named AS (
    SELECT kept.*, dong.name AS dong_name FROM kept
    LEFT JOIN LATERAL (
        SELECT d.name FROM geodata_area d
        WHERE d.is_current AND d.level = 'submunicipal' AND ST_Covers(d.geom, ST_PointOnSurface(kept.geom))
        ORDER BY d.code LIMIT 1
    ) dong ON true
)
INSERT INTO campaigns_campaignunit (campaign_id, kind, area_id, label, geom, priority)
SELECT %(campaign)s, 'grid', NULL,
       concat(COALESCE(dong_name, %(grid)s), ' ', row_number() OVER (PARTITION BY dong_name ORDER BY j DESC, i)),
       ST_Multi(geom), false
FROM named
ORDER BY j DESC, i
"""


def campaign_units_build(*, campaign: Campaign) -> int:
    """Cut the campaign's area into its units (run inside the service's transaction); how many."""
    CampaignUnit.objects.filter(campaign=campaign).delete()
    with connection.cursor() as cursor:
        if campaign.coverage_unit == CoverageUnit.GRID:
            cursor.execute(_GRID_UNITS_SQL, {
                "campaign": campaign.pk, "size": GRID_METRES, "min_area": GRID_MIN_SHARE * GRID_CELL_SQUARE_METRES,
                "grid": "격자",  # a cell outside every 읍면동 (at sea); unit labels are Korean place names
            })
        else:
            cursor.execute(_DONG_UNITS_SQL, {"campaign": campaign.pk, "share": DONG_MIN_SHARE})
        return cursor.rowcount


def campaign_area_covers(*, campaign: Campaign, point: Point) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_Covers(area, ST_SetSRID(ST_MakePoint(%s, %s), 4326)) FROM campaigns_campaign WHERE id = %s",
            [point.x, point.y, campaign.pk],
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def campaign_unit_at(*, campaign: Campaign, point: Point) -> int | None:
    """The unit holding a point of the area; where units leave a gap (a sliver left out), the nearest."""
    params = {"campaign": campaign.pk, "lon": point.x, "lat": point.y}
    with connection.cursor() as cursor:
        # Two index-friendly probes rather than one ORDER BY that tests every unit of the campaign.
        cursor.execute(
            """SELECT id FROM campaigns_campaignunit
               WHERE campaign_id = %(campaign)s AND ST_Covers(geom, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326))
               ORDER BY id LIMIT 1""",
            params,
        )
        row = cursor.fetchone()
        if row is None:
            cursor.execute(
                """SELECT id FROM campaigns_campaignunit WHERE campaign_id = %(campaign)s
                   ORDER BY geom <-> ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326), id LIMIT 1""",
                params,
            )
            row = cursor.fetchone()
    return row[0] if row else None


# Validated, non-hidden entries per unit: the one definition of "covered" (count > 0).
_UNIT_COUNTS_SQL = """
SELECT u.id, count(e.id) AS validated
FROM campaigns_campaignunit u
LEFT JOIN campaigns_entry e ON e.unit_id = u.id AND e.status = %(validated)s AND NOT e.is_hidden
WHERE u.campaign_id = %(campaign)s
GROUP BY u.id
"""


def campaign_coverage(*, campaign: Campaign) -> dict:
    """{"units", "covered", "share"}: the share (0..1) of units with at least one validated entry."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), count(*) FILTER (WHERE validated > 0) FROM ({_UNIT_COUNTS_SQL}) counts",
            {"campaign": campaign.pk, "validated": EntryStatus.VALIDATED},
        )
        units, covered = cursor.fetchone()
    return {"units": units, "covered": covered, "share": round(covered / units, 4) if units else 0.0}


def campaign_units_geojson(*, campaign: Campaign, simplify: float = 0.0001) -> dict:
    """The units as a GeoJSON FeatureCollection for the coverage map: label, priority, validated count."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(json_build_object(
                'type', 'Feature', 'id', u.id,
                'geometry', ST_AsGeoJSON(ST_ForcePolygonCCW(ST_Multi(ST_SimplifyPreserveTopology(u.geom, %(simplify)s))), 6)::json,
                'properties', json_build_object('label', u.label, 'priority', u.priority, 'validated', counts.validated)
            ) ORDER BY u.id), '[]'::json))::text
            FROM campaigns_campaignunit u JOIN ({_UNIT_COUNTS_SQL}) counts ON counts.id = u.id
            """,
            {"campaign": campaign.pk, "validated": EntryStatus.VALIDATED, "simplify": simplify},
        )
        return json.loads(cursor.fetchone()[0])


def campaign_map_next(*, campaign: Campaign, lon: float, lat: float) -> CampaignUnit | None:
    """Where a volunteer should map next: the least-covered priority unit, nearest first; without
    priority units, the least-covered unit of all, nearest first."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT u.id FROM campaigns_campaignunit u JOIN ({_UNIT_COUNTS_SQL}) counts ON counts.id = u.id
            ORDER BY NOT u.priority, counts.validated,
                     ST_Distance(u.geom::geography, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography), u.id
            LIMIT 1
            """,
            {"campaign": campaign.pk, "validated": EntryStatus.VALIDATED, "lon": float(lon), "lat": float(lat)},
        )
        row = cursor.fetchone()
    return CampaignUnit.objects.get(pk=row[0]) if row else None
