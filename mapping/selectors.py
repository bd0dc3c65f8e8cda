"""Reads for the residents' map: what the map and its list show for a view.

All filtering goes through reports.selectors.report_filters_parse/report_list, so the map means
the same by "category" or "status" as the API and the exports. Zoomed out, the grid is read from
the trigger-maintained cell counts of the layers app (layers_reportcell), never a GROUP BY over
every report in view, so the home map costs the same at a hundred reports or a million.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import FloatField, Func
from django.utils import timezone

from geodata.models import Level
from layers.cells import CELL_MAX_ZOOM, category_ids_for, report_cell_centroids
from reports.models import Report, ReportQuerySet
from reports.selectors import ReportFilters, report_list

# Below this zoom the map shows counts per grid cell; from it on, individual reports.
POINTS_MIN_ZOOM = 13
MAX_POINTS = 500
LIST_SIZE = 50
# About 64 px per cell at any zoom: a Web Mercator tile is 256 px wide and spans 360 / 2^z degrees.
CELL_PIXELS = 64
CELL_MIN_LEVEL = 4  # the coarsest level layers_reportcell keeps
WORLD = (-180.0, -85.05, 180.0, 85.05)
LIST_FIELDS = ("id", "status", "address", "created_at", "due_at", "category__name", "category__name_en", "category__code")
# What an English address is built from (the stored address is Korean): only read in English.
ADDRESS_EN_RELATED = ("submunicipal_unit", "municipal_unit", "local_government__parent")
ADDRESS_EN_FIELDS = (
    "submunicipal_unit__name_en", "municipal_unit__name", "municipal_unit__name_en",
    "local_government__name", "local_government__name_en", "local_government__level",
    "local_government__parent__name_en",
)


@dataclass(frozen=True)
class MapData:
    mode: str  # "grid" or "points"
    features: list[dict]
    truncated: bool


def grid_cell_degrees(zoom: int) -> float:
    return 360 / (2 ** zoom) / 256 * CELL_PIXELS


def grid_level(zoom: int) -> int:
    """The layers_reportcell level whose cells are CELL_PIXELS wide at `zoom` (a 256 px tile = 4 cells)."""
    return max(CELL_MIN_LEVEL, min(zoom + 2, CELL_MAX_ZOOM))


def map_grid(*, reports: ReportQuerySet, zoom: int) -> list[dict]:
    """Counts per grid cell with the centroid of the cell's reports, computed by PostGIS.

    Used only for filters the maintained cells do not hold (local government, dates).
    """
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
        return _cells(cursor.fetchall())


def map_cells(*, filters: ReportFilters, zoom: int) -> list[dict]:
    """The same grid read from the trigger-maintained layers_reportcell: flat cost at any N."""
    rows = report_cell_centroids(
        level=grid_level(zoom), bbox=filters.bbox or WORLD,
        category_ids=category_ids_for(filters.categories), statuses=filters.statuses,
    )
    return _cells(rows)


def _cells(rows) -> list[dict]:
    return [{"count": count, "lon": round(lon, 6), "lat": round(lat, 6)} for count, lon, lat in rows]


def map_points(*, reports: ReportQuerySet, limit: int | None = None, language: str = "ko") -> tuple[list[dict], bool]:
    """The newest reports in view as points (public location only), at most `limit`, with what
    their popups show: category, status, date and address."""
    limit = limit or MAX_POINTS
    english = language.startswith("en")
    category_name = "category__name_en" if english else "category__name"
    address_fields = ADDRESS_EN_FIELDS if english else ("address",)
    # Coordinates read by PostGIS: no geometry object per row in Python.
    rows = list(
        reports.order_by("-created_at", "-id").values_list(
            "id", "category__code", "status", category_name, "created_at",
            Func("public_location", function="ST_X", output_field=FloatField()),
            Func("public_location", function="ST_Y", output_field=FloatField()),
            *address_fields,
        )[: limit + 1]
    )
    points = [
        {
            "id": pk, "category": code, "status": status, "lon": round(lon, 6), "lat": round(lat, 6),
            "category_name": name, "created_at": timezone.localtime(created).strftime("%Y-%m-%d"),
            "address": address_en(*address) if english else address[0],
        }
        for pk, code, status, name, created, lon, lat, *address in rows[:limit]
    ]
    return points, len(rows) > limit


def address_en(dong_en: str | None, unit: str | None, unit_en: str | None, government: str, government_en: str,
               government_level: str, province_en: str | None) -> str:
    """'Cheongunhyoja-dong, Jongno-gu, Seoul', from the areas' romanized names, smallest first.

    A district of a city with districts is stored run together ("Suwonsijangangu"): it is split
    into "Jangan-gu, Suwon-si".
    """
    parts = [dong_en]
    if government_level == Level.CITY and unit and unit != government and unit_en:
        district = unit_en.lower().removeprefix(government_en.replace("-", "").lower()).capitalize()
        parts += [district[:-2] + "-gu" if district.endswith("gu") else district, government_en]
    elif government_level != Level.PROVINCE:
        parts.append(unit_en if unit_en and unit_en != province_en else None)
    parts.append(government_en if government_level == Level.PROVINCE else province_en)
    return ", ".join(dict.fromkeys(part for part in parts if part))


def report_address_en(report: Report) -> str:
    """The English address of one report (its areas loaded, or read one by one)."""
    unit, government = report.municipal_unit, report.local_government
    return address_en(
        report.submunicipal_unit.name_en if report.submunicipal_unit else None,
        unit.name if unit else None, unit.name_en if unit else None,
        government.name, government.name_en, government.level,
        government.parent.name_en if government.parent else None,
    ) or report.address


def map_data(*, filters: ReportFilters, zoom: int, language: str = "ko") -> MapData:
    reports = report_list(filters=filters)
    if zoom < POINTS_MIN_ZOOM:
        if filters.local_government or filters.start or filters.end:
            features = map_grid(reports=reports, zoom=zoom)
        else:
            features = map_cells(filters=filters, zoom=zoom)
        return MapData(mode="grid", features=features, truncated=False)
    points, truncated = map_points(reports=reports, language=language)
    return MapData(mode="points", features=points, truncated=truncated)


def map_list(*, filters: ReportFilters, limit: int = LIST_SIZE, language: str = "ko") -> list[Report]:
    """The newest reports in view for the list beside the map (`address_en` set in English)."""
    # Only what the list shows: no geometry to parse, no government to join (a third of the
    # home map request's time at a million reports) but for the English address.
    reports = report_list(filters=filters).select_related("category").only(*LIST_FIELDS).order_by("-created_at", "-id")
    if not language.startswith("en"):
        return list(reports[:limit])
    reports = list(reports.select_related(*ADDRESS_EN_RELATED).only(*LIST_FIELDS, *ADDRESS_EN_FIELDS)[:limit])
    for report in reports:
        report.address = report_address_en(report)
    return reports
