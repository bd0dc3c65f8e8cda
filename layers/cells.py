"""Reads of the report cell counts (layers_reportcell), kept up to date by triggers on every report write.

The counts are shared state of the domain: the home map (mapping) and the tiles (layers) only read
them, through these functions.
"""

from __future__ import annotations

from django.db import connection

from reports.models import Category

CELL_MAX_ZOOM = 16  # = POINT_MIN_ZOOM - 1 + CELL_SHIFT (layers.selectors), the finest level stored


def add_cell_filters(where: list[str], params: list, category_ids: list[int] | None, statuses: tuple[str, ...]) -> None:
    """The category and status filters, in the cell table's own columns."""
    if category_ids is not None:
        where.append("category_id = ANY(%s)")
        params.append(category_ids)
    if statuses:
        where.append("status = ANY(%s)")
        params.append(list(statuses))


def category_ids_for(codes: tuple[str, ...] | list[str]) -> list[int] | None:
    """The ids behind category codes (a filter on the cells), or None for every category."""
    if not codes:
        return None
    return list(Category.objects.filter(code__in=codes).values_list("id", flat=True))


def report_cell_centroids(*, level: int, bbox: tuple[float, float, float, float], category_ids: list[int] | None,
                          statuses: tuple[str, ...]) -> list[tuple[int, float, float]]:
    """(count, lon, lat) per grid cell of `level` touching `bbox`, read from layers_reportcell.

    The point is the centroid of the cell's reports (kept as sums by the triggers): a lookup of
    a few hundred index rows, whatever the number of reports in view.
    """
    shift = CELL_MAX_ZOOM - level
    min_lon, min_lat, max_lon, max_lat = bbox
    where = [
        "z = %s",
        "x BETWEEN layers_cell_x(%s) >> %s AND layers_cell_x(%s) >> %s",
        # Tile rows count southwards: the north edge has the smaller y.
        "y BETWEEN layers_cell_y(%s) >> %s AND layers_cell_y(%s) >> %s",
    ]
    params: list = [level, min_lon, shift, max_lon, shift, min(max_lat, 85.05), shift, max(min_lat, -85.05), shift]
    add_cell_filters(where, params, category_ids, statuses)
    sql = f"""
        SELECT sum(count)::int, sum(lon_sum) / sum(count), sum(lat_sum) / sum(count)
        FROM layers_reportcell WHERE {' AND '.join(where)}
        GROUP BY x, y HAVING sum(count) > 0
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
