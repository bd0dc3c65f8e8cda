"""Reads for the residents' map: what the map and its list show for a view.

All filtering goes through reports.selectors.report_filters_parse/report_list, so the map means
the same by "category" or "status" as the API and the exports.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from reports.models import Report, ReportQuerySet
from reports.selectors import ReportFilters, report_list

# Below this zoom the map shows counts per grid cell; from it on, individual reports.
POINTS_MIN_ZOOM = 13
MAX_POINTS = 500
LIST_SIZE = 50
# About 64 px per cell at any zoom: a Web Mercator tile is 256 px wide and spans 360 / 2^z degrees.
CELL_PIXELS = 64


@dataclass(frozen=True)
class MapData:
    mode: str  # "grid" or "points"
    features: list[dict]
    truncated: bool


def grid_cell_degrees(zoom: int) -> float:
    return 360 / (2 ** zoom) / 256 * CELL_PIXELS


def map_grid(*, reports: ReportQuerySet, zoom: int) -> list[dict]:
    """Counts per grid cell with the centroid of the cell's reports, computed by PostGIS."""
    inner = reports.order_by().values("public_location")
    sql, params = inner.query.sql_with_params()
    cell = grid_cell_degrees(zoom)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT count(*), ST_X(ST_Centroid(ST_Collect(g))), ST_Y(ST_Centroid(ST_Collect(g)))
            FROM ({sql}) AS visible(g)
            GROUP BY ST_SnapToGrid(g, %s)
            """,
            [*params, cell],
        )
        return [{"count": count, "lon": round(lon, 6), "lat": round(lat, 6)} for count, lon, lat in cursor.fetchall()]


def map_points(*, reports: ReportQuerySet, limit: int | None = None) -> tuple[list[dict], bool]:
    """The newest reports in view as points (public location only), at most `limit`."""
    limit = limit or MAX_POINTS
    rows = list(
        reports.order_by("-created_at", "-id").values_list("id", "category__code", "status", "public_location")[: limit + 1]
    )
    points = [
        {"id": pk, "category": code, "status": status, "lon": round(point.x, 6), "lat": round(point.y, 6)}
        for pk, code, status, point in rows[:limit]
    ]
    return points, len(rows) > limit


def map_data(*, filters: ReportFilters, zoom: int) -> MapData:
    reports = report_list(filters=filters)
    if zoom < POINTS_MIN_ZOOM:
        return MapData(mode="grid", features=map_grid(reports=reports, zoom=zoom), truncated=False)
    points, truncated = map_points(reports=reports)
    return MapData(mode="points", features=points, truncated=truncated)


def map_list(*, filters: ReportFilters, limit: int = LIST_SIZE) -> list[Report]:
    """The newest reports in view for the list beside the map."""
    return list(
        report_list(filters=filters).select_related("category", "local_government").order_by("-created_at", "-id")[:limit]
    )
