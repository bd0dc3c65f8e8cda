"""Importing administrative boundaries (KOSTAT census units) into PostGIS.

Files are read through GDAL (GeoJSON, TopoJSON, Shapefile, GeoPackage...). The heavy work,
repairing geometries, unions for cities, subdividing, happens in PostGIS in one transaction,
so a bad input leaves the database exactly as it was.
"""

from __future__ import annotations

import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.gis.gdal import DataSource, GDALException, OGRGeometry, SpatialReference
from django.db import connection, transaction
from django.utils.translation import gettext as _
from psycopg2.extras import execute_values

from geodata.models import Level, Vintage

BOUNDARY_SUFFIXES = {".geojson", ".json", ".topojson", ".shp", ".gpkg"}
LEVEL_BY_CODE_LENGTH = {2: Level.PROVINCE, 5: Level.MUNICIPAL, 7: Level.SUBMUNICIPAL}
# Pieces of at most this many vertices keep point-in-polygon tests cheap (MapIt uses the same idea).
SUBDIVIDE_MAX_VERTICES = 256
DOWNLOAD_TIMEOUT_SECONDS = 60

Progress = Callable[[str], None]


class BoundaryImportError(Exception):
    """A problem with the input: the message is for the person running the import."""


@dataclass
class BoundaryUnit:
    code: str
    name: str
    name_en: str
    level: str
    wkb: bytes
    source: str


@dataclass
class ImportResult:
    vintage: int
    counts: dict[str, int] = field(default_factory=dict)
    repaired: int = 0
    local_governments: int = 0
    made_current: bool = False


def _download(url: str, folder: Path) -> Path:
    name = url.rstrip("/").rsplit("/", 1)[-1] or "boundaries.json"
    target = folder / name
    try:
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response, target.open("wb") as out:
            shutil.copyfileobj(response, out)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise BoundaryImportError(_("Could not download %(url)s: %(error)s") % {"url": url, "error": exc}) from exc
    return target


def resolve_sources(sources: Iterable[str], download_dir: Path) -> list[Path]:
    """Expand folders into their boundary files and download URLs; missing paths are an error."""
    paths: list[Path] = []
    for source in sources:
        if source.startswith(("http://", "https://")):
            paths.append(_download(source, download_dir))
            continue
        path = Path(source)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in BOUNDARY_SUFFIXES)
            if not found:
                raise BoundaryImportError(_("No boundary files (GeoJSON, TopoJSON, Shapefile) in %(path)s") % {"path": path})
            paths.extend(found)
        elif path.is_file():
            paths.append(path)
        else:
            raise BoundaryImportError(_("Boundary source not found: %(path)s") % {"path": source})
    if not paths:
        raise BoundaryImportError(_("No boundary source given."))
    return paths


def _field(feature, names: tuple[str, ...]) -> str:
    for name in names:
        if name in feature.fields:
            value = feature.get(name)
            return "" if value is None else str(value).strip()
    return ""


def read_units(path: Path) -> tuple[list[BoundaryUnit], set[str]]:
    """Read every feature of every layer; return the units and the base years they declare."""
    try:
        data_source = DataSource(str(path))
    except GDALException as exc:
        raise BoundaryImportError(
            _("Cannot read %(path)s as a boundary file (GeoJSON, TopoJSON or Shapefile): %(error)s")
            % {"path": path.name, "error": exc}
        ) from exc
    wgs84 = SpatialReference(4326)
    units: list[BoundaryUnit] = []
    years: set[str] = set()
    for layer in data_source:
        missing = {"code", "name"} - set(layer.fields)
        if missing:
            raise BoundaryImportError(
                _("Layer %(layer)s of %(path)s lacks the fields %(fields)s (expected code, name, name_eng, base_year).")
                % {"layer": layer.name, "path": path.name, "fields": ", ".join(sorted(missing))}
            )
        srs = layer.srs
        transform = srs is not None and not srs.geographic or (srs is not None and srs.srid not in (None, 4326))
        for feature in layer:
            code = _field(feature, ("code",))
            level = LEVEL_BY_CODE_LENGTH.get(len(code))
            if not code.isdigit() or level is None:
                raise BoundaryImportError(
                    _("Feature %(fid)s of %(path)s has code %(code)r: expected 2, 5 or 7 digits.")
                    % {"fid": feature.fid, "path": path.name, "code": code}
                )
            try:
                geometry: OGRGeometry | None = feature.geom
            except GDALException:
                geometry = None
            if geometry is None or geometry.geom_type.name not in {"Polygon", "MultiPolygon", "Polygon25D", "MultiPolygon25D"}:
                raise BoundaryImportError(
                    _("Feature %(code)s of %(path)s has no polygon geometry.") % {"code": code, "path": path.name}
                )
            if transform:
                geometry.transform(wgs84)
            else:
                # No CRS declared (TopoJSON) means lon/lat WGS84; anything else is an error, not a guess.
                min_x, min_y, max_x, max_y = geometry.extent
                if min_x < -180 or max_x > 180 or min_y < -90 or max_y > 90:
                    raise BoundaryImportError(
                        _("Feature %(code)s of %(path)s has coordinates outside the longitude/latitude range "
                          "and the file declares no coordinate system.") % {"code": code, "path": path.name}
                    )
            years.add(_field(feature, ("base_year", "year")))
            units.append(
                BoundaryUnit(
                    code=code,
                    name=_field(feature, ("name",)),
                    name_en=_field(feature, ("name_eng", "name_en")),
                    level=level,
                    wkb=bytes(geometry.wkb),
                    source=path.name,
                )
            )
    if not units:
        raise BoundaryImportError(_("%(path)s holds no features.") % {"path": path.name})
    return units, years


def city_name(district_name: str) -> str:
    """'수원시장안구' -> '수원시': a city's districts carry the city's name as their prefix."""
    head, sep, _rest = district_name.partition("시")
    return head + sep if sep else district_name


def city_name_en(korean_name: str, district_name_en: str) -> str:
    known = getattr(settings, "CITY_NAMES_EN", {})
    if korean_name in known:
        return known[korean_name]
    head, sep, _rest = district_name_en.lower().partition("si")
    return f"{head.capitalize()}-si" if sep and head else ""


def import_boundaries(
    sources: Iterable[str],
    *,
    vintage_year: int | None = None,
    make_current: bool | None = None,
    progress: Progress = lambda message: None,
) -> ImportResult:
    """Import boundary files into one vintage; idempotent (a second run updates, never duplicates)."""
    with tempfile.TemporaryDirectory(prefix="dongne-boundaries-") as tmp:
        paths = resolve_sources(sources, Path(tmp))
        units: list[BoundaryUnit] = []
        years: set[str] = set()
        for path in paths:
            progress(_("Reading %(path)s") % {"path": path.name})
            file_units, file_years = read_units(path)
            units.extend(file_units)
            years |= file_years
            progress(_("  %(count)d features") % {"count": len(file_units)})
    year = vintage_year or _single_year(years)
    codes = [unit.code for unit in units]
    duplicates = {code for code in codes if codes.count(code) > 1} if len(set(codes)) != len(codes) else set()
    if duplicates:
        raise BoundaryImportError(_("Duplicate codes in the input: %(codes)s") % {"codes": ", ".join(sorted(duplicates)[:10])})
    with transaction.atomic():
        return _load(units, year, make_current, progress, ", ".join(str(s) for s in sources))


def _single_year(years: set[str]) -> int:
    years = {y for y in years if y}
    if len(years) != 1 or not next(iter(years)).isdigit():
        raise BoundaryImportError(
            _("The files declare base years %(years)s: give the vintage with --vintage.") % {"years": sorted(years) or "none"}
        )
    return int(next(iter(years)))


def _load(units: list[BoundaryUnit], year: int, make_current: bool | None, progress: Progress, source: str) -> ImportResult:
    vintage, _created = Vintage.objects.get_or_create(year=year, defaults={"source": source[:500]})
    result = ImportResult(vintage=year)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE boundary_staging (code text, name text, name_en text, level text, wkb bytea) ON COMMIT DROP"
        )
        execute_values(
            cursor.cursor,
            "INSERT INTO boundary_staging VALUES %s",
            [(u.code, u.name, u.name_en, u.level, u.wkb) for u in units],
            page_size=500,
        )
        progress(_("Repairing geometries"))
        cursor.execute(
            """
            ALTER TABLE boundary_staging ADD COLUMN raw geometry, ADD COLUMN geom geometry;
            UPDATE boundary_staging SET raw = ST_SetSRID(ST_Force2D(ST_GeomFromWKB(wkb)), 4326);
            UPDATE boundary_staging SET geom = CASE WHEN ST_IsValid(raw) THEN ST_Multi(raw)
                ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(raw), 3)) END;
            """
        )
        cursor.execute("SELECT count(*) FROM boundary_staging WHERE NOT ST_IsValid(raw)")
        result.repaired = cursor.fetchone()[0]
        cursor.execute("SELECT code FROM boundary_staging WHERE geom IS NULL OR ST_IsEmpty(geom) ORDER BY code LIMIT 10")
        empty = [row[0] for row in cursor.fetchall()]
        if empty:
            raise BoundaryImportError(_("No polygon is left after repair for: %(codes)s") % {"codes": ", ".join(empty)})

        progress(_("Storing areas"))
        cursor.execute(
            """
            INSERT INTO geodata_area (vintage_id, code, name, name_en, level, is_local_government, geom)
            SELECT %s, code, name, name_en, level, false, geom FROM boundary_staging
            ON CONFLICT (vintage_id, code) DO UPDATE
                SET name = EXCLUDED.name, name_en = EXCLUDED.name_en, level = EXCLUDED.level, geom = EXCLUDED.geom
            """,
            [vintage.pk],
        )
        _build_cities(cursor, vintage.pk)
        _link_hierarchy(cursor, vintage.pk)
        _assign_governments(cursor, vintage.pk)

        progress(_("Subdividing boundaries for fast lookups"))
        cursor.execute(
            """
            DELETE FROM geodata_areapiece WHERE area_id IN (SELECT id FROM geodata_area WHERE vintage_id = %s);
            INSERT INTO geodata_areapiece (area_id, level, geom)
            SELECT a.id, a.level, ST_Subdivide(a.geom, %s) FROM geodata_area a
            WHERE a.vintage_id = %s AND a.level <> 'city';
            """,
            [vintage.pk, SUBDIVIDE_MAX_VERTICES, vintage.pk],
        )
        cursor.execute(
            "SELECT code FROM geodata_area WHERE vintage_id = %s AND NOT ST_IsValid(geom) ORDER BY code LIMIT 10",
            [vintage.pk],
        )
        invalid = [row[0] for row in cursor.fetchall()]
        if invalid:
            raise BoundaryImportError(_("Geometries still invalid after repair: %(codes)s") % {"codes": ", ".join(invalid)})
        cursor.execute(
            "SELECT level, count(*) FROM geodata_area WHERE vintage_id = %s GROUP BY level", [vintage.pk]
        )
        result.counts = dict(cursor.fetchall())
        cursor.execute(
            "SELECT count(*) FROM geodata_area WHERE vintage_id = %s AND is_local_government", [vintage.pk]
        )
        result.local_governments = cursor.fetchone()[0]
        cursor.execute("DROP TABLE boundary_staging")

    has_current = Vintage.objects.filter(is_current=True).exclude(pk=vintage.pk).exists()
    if make_current or (make_current is None and not has_current):
        vintage_make_current(year=year)
        result.made_current = True
    return result


def _build_cities(cursor, vintage_id: int) -> None:
    """The 11 cities with non-autonomous districts have no polygon of their own: union their districts."""
    cursor.execute(
        """
        SELECT left(code, 4) || '0', min(name), min(name_en) FROM geodata_area
        WHERE vintage_id = %s AND level = 'municipal' AND right(code, 1) <> '0'
        GROUP BY left(code, 4)
        """,
        [vintage_id],
    )
    cities = [(code, city_name(name), city_name_en(city_name(name), name_en)) for code, name, name_en in cursor.fetchall()]
    if not cities:
        return
    cursor.execute("CREATE TEMP TABLE city_staging (code text, name text, name_en text) ON COMMIT DROP")
    execute_values(cursor.cursor, "INSERT INTO city_staging VALUES %s", cities)
    cursor.execute(
        """
        INSERT INTO geodata_area (vintage_id, code, name, name_en, level, is_local_government, geom)
        SELECT %(v)s, c.code, c.name, c.name_en, 'city', true,
               (SELECT ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(d.geom)), 3)) FROM geodata_area d
                WHERE d.vintage_id = %(v)s AND d.level = 'municipal' AND left(d.code, 4) = left(c.code, 4)
                  AND right(d.code, 1) <> '0')
        FROM city_staging c
        ON CONFLICT (vintage_id, code) DO UPDATE
            SET name = EXCLUDED.name, name_en = EXCLUDED.name_en, level = 'city', geom = EXCLUDED.geom;
        DROP TABLE city_staging;
        """,
        {"v": vintage_id},
    )


def _link_hierarchy(cursor, vintage_id: int) -> None:
    cursor.execute(
        """
        UPDATE geodata_area child SET parent_id = p.id FROM geodata_area p
        WHERE child.vintage_id = %(v)s AND p.vintage_id = %(v)s AND (
            (child.level = 'city' AND p.level = 'province' AND p.code = left(child.code, 2))
            OR (child.level = 'municipal' AND right(child.code, 1) = '0'
                AND p.level = 'province' AND p.code = left(child.code, 2))
            OR (child.level = 'municipal' AND right(child.code, 1) <> '0'
                AND p.level = 'city' AND p.code = left(child.code, 4) || '0')
            OR (child.level = 'submunicipal' AND p.level = 'municipal' AND p.code = left(child.code, 5))
        )
        """,
        {"v": vintage_id},
    )
    cursor.execute(
        "SELECT code FROM geodata_area WHERE vintage_id = %s AND level <> 'province' AND parent_id IS NULL ORDER BY code LIMIT 10",
        [vintage_id],
    )
    orphans = [row[0] for row in cursor.fetchall()]
    if orphans:
        raise BoundaryImportError(
            _("These units have no parent unit in the import (import provinces and municipalities too): %(codes)s")
            % {"codes": ", ".join(orphans)}
        )


def _assign_governments(cursor, vintage_id: int) -> None:
    """Who governs each unit; the rules are those of Korean local-autonomy law, not of one vintage's codes."""
    province_governed = list(getattr(settings, "PROVINCES_WITHOUT_AUTONOMOUS_MUNICIPALITIES", []))
    cursor.execute(
        """
        UPDATE geodata_area a SET
            is_local_government = CASE
                WHEN a.level IN ('province', 'city') THEN true
                WHEN a.level = 'municipal' THEN right(a.code, 1) = '0' AND NOT (p.name = ANY(%(pg)s))
                ELSE false END
        FROM geodata_area p
        WHERE a.vintage_id = %(v)s AND p.id = COALESCE(a.parent_id, a.id)
        """,
        {"v": vintage_id, "pg": province_governed},
    )
    # A unit that is a local government governs itself; a district belongs to its city; an
    # administrative unit (Sejong, Jeju's cities) to its province; a 읍면동 to its unit's government.
    cursor.execute(
        """
        UPDATE geodata_area SET local_government_id = id WHERE vintage_id = %(v)s AND is_local_government;
        UPDATE geodata_area a SET local_government_id = p.id FROM geodata_area p
        WHERE a.vintage_id = %(v)s AND a.level = 'municipal' AND NOT a.is_local_government AND p.id = a.parent_id
          AND p.is_local_government;
        UPDATE geodata_area a SET local_government_id = m.local_government_id FROM geodata_area m
        WHERE a.vintage_id = %(v)s AND a.level = 'submunicipal' AND m.id = a.parent_id;
        """,
        {"v": vintage_id},
    )


@transaction.atomic
def vintage_make_current(*, year: int) -> Vintage:
    vintage = Vintage.objects.select_for_update().get(year=year)
    Vintage.objects.filter(is_current=True).exclude(pk=vintage.pk).update(is_current=False)
    if not vintage.is_current:
        vintage.is_current = True
        vintage.save(update_fields=["is_current"])
    return vintage
