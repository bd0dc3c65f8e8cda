"""Importing administrative boundaries (KOSTAT census units) into PostGIS.

Files are read through GDAL (GeoJSON, TopoJSON, Shapefile, GeoPackage...). The heavy work,
repairing geometries, applying the change table, unions for cities, subdividing, happens in
PostGIS in one transaction, so a bad input leaves the database exactly as it was.

An area is an identity across vintages (see geodata.models): an import adds the areas it does not
know yet and stores each unit's polygon as the AreaBoundary of its vintage; the areas' own
geometry, names, hierarchy and routing pieces are those of the current vintage, refreshed when a
vintage becomes current (or is re-imported while current).
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

from core.errors import DomainError, ErrorCode
from geodata.changes import (
    DEFAULT_CHANGES,
    BoundaryChange,
    BoundaryChangeError,
    apply_changes,
    move_identities,
    read_changes,
    record_aliases,
)
from geodata.models import Level, Vintage

BOUNDARY_SUFFIXES = {".geojson", ".json", ".topojson", ".shp", ".gpkg"}
LEVEL_BY_CODE_LENGTH = {2: Level.PROVINCE, 5: Level.MUNICIPAL, 7: Level.SUBMUNICIPAL}
# Pieces of at most this many vertices keep point-in-polygon tests cheap (MapIt uses the same idea).
SUBDIVIDE_MAX_VERTICES = 256
DOWNLOAD_TIMEOUT_SECONDS = 60

Progress = Callable[[str], None]


class BoundaryImportError(DomainError):
    """A problem with the boundary input (invalid_boundary_file): the message is for the person running the import."""

    def __init__(self, message: str):
        super().__init__(ErrorCode.INVALID_BOUNDARY_FILE, message)


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
    changes: Path | None = None,
    progress: Progress = lambda message: None,
) -> ImportResult:
    """Import boundary files into one vintage; idempotent (a second run updates, never duplicates).

    The change table (`changes`, by default geodata/boundary_changes.csv) brings the files'
    codes and names to today's before anything is stored.
    """
    table = _read_changes(changes)
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
    with transaction.atomic(), connection.cursor() as cursor:
        vintage, _created = Vintage.objects.get_or_create(year=year, defaults={"source": ", ".join(map(str, sources))[:500]})
        result = ImportResult(vintage=year)
        result.repaired = _stage_units(cursor, units, progress)
        _apply_table(cursor, table, progress)
        _store(cursor, vintage, result, progress)
        has_current = Vintage.objects.filter(is_current=True).exclude(pk=vintage.pk).exists()
        # Re-importing the current vintage refreshes what routing reads too.
        if make_current or vintage.is_current or (make_current is None and not has_current):
            progress(_("Subdividing boundaries for fast lookups"))
            vintage_make_current(year=year)
            result.made_current = True
        return result


def boundary_changes_apply(*, changes: Path | None = None, progress: Progress = lambda message: None) -> ImportResult:
    """Apply the change table to the current vintage, as stored (for a table updated after the import)."""
    table = _read_changes(changes)
    with transaction.atomic(), connection.cursor() as cursor:
        vintage = Vintage.objects.select_for_update().filter(is_current=True).first()
        if vintage is None:
            raise BoundaryImportError(_("No current boundary vintage: import boundaries first."))
        result = ImportResult(vintage=vintage.year)
        cursor.execute(
            """
            CREATE TEMP TABLE boundary_staging ON COMMIT DROP AS
            SELECT a.code, b.name, b.name_en, a.level, b.geom::geometry AS geom
            FROM geodata_areaboundary b JOIN geodata_area a ON a.id = b.area_id
            WHERE b.vintage_id = %s AND a.level <> 'city'
            """,
            [vintage.pk],
        )
        _apply_table(cursor, table, progress)
        _store(cursor, vintage, result, progress)
        vintage_make_current(year=vintage.year)
        result.made_current = True
        return result


def _read_changes(path: Path | None) -> list[BoundaryChange]:
    try:
        return read_changes(path or DEFAULT_CHANGES)
    except BoundaryChangeError as exc:
        raise BoundaryImportError(str(exc)) from exc


def _apply_table(cursor, table: list[BoundaryChange], progress: Progress) -> None:
    try:
        applied = apply_changes(cursor, table)
    except BoundaryChangeError as exc:
        raise BoundaryImportError(str(exc)) from exc
    if applied:
        progress(_("Applied %(count)d boundary changes") % {"count": len(applied)})
    # Stored areas follow even the rows these files already reflect (an older database).
    move_identities(cursor, table)
    record_aliases(cursor, table)


def _single_year(years: set[str]) -> int:
    years = {y for y in years if y}
    if len(years) != 1 or not next(iter(years)).isdigit():
        raise BoundaryImportError(
            _("The files declare base years %(years)s: give the vintage with --vintage.") % {"years": sorted(years) or "none"}
        )
    return int(next(iter(years)))


def _stage_units(cursor, units: list[BoundaryUnit], progress: Progress) -> int:
    """The units in a temp table, geometries repaired; returns how many needed repair."""
    cursor.execute("CREATE TEMP TABLE boundary_staging (code text, name text, name_en text, level text, wkb bytea) ON COMMIT DROP")
    cursor.executemany(
        "INSERT INTO boundary_staging VALUES (%s, %s, %s, %s, %s)",
        [(u.code, u.name, u.name_en, u.level, u.wkb) for u in units],
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
    repaired = cursor.fetchone()[0]
    cursor.execute("SELECT code FROM boundary_staging WHERE geom IS NULL OR ST_IsEmpty(geom) ORDER BY code LIMIT 10")
    empty = [row[0] for row in cursor.fetchall()]
    if empty:
        raise BoundaryImportError(_("No polygon is left after repair for: %(codes)s") % {"codes": ", ".join(empty)})
    return repaired


def _store(cursor, vintage: Vintage, result: ImportResult, progress: Progress) -> None:
    """Staged units (today's codes) into identities and this vintage's boundaries."""
    _build_cities(cursor)
    cursor.execute(
        "ALTER TABLE boundary_staging ADD COLUMN parent_code text, ADD COLUMN lg_code text, ADD COLUMN is_lg boolean"
    )
    _link_hierarchy(cursor, "boundary_staging")
    cursor.execute(
        "SELECT code FROM boundary_staging WHERE level <> 'province' AND parent_code IS NULL ORDER BY code LIMIT 10"
    )
    orphans = [row[0] for row in cursor.fetchall()]
    if orphans:
        raise BoundaryImportError(
            _("These units have no parent unit in the import (import provinces and municipalities too): %(codes)s")
            % {"codes": ", ".join(orphans)}
        )
    _assign_governments(cursor, "boundary_staging")
    cursor.execute("SELECT code FROM boundary_staging WHERE NOT ST_IsValid(geom) ORDER BY code LIMIT 10")
    invalid = [row[0] for row in cursor.fetchall()]
    if invalid:
        raise BoundaryImportError(_("Geometries still invalid after repair: %(codes)s") % {"codes": ", ".join(invalid)})

    progress(_("Storing areas"))
    cursor.execute(
        """
        INSERT INTO geodata_area (code, name, name_en, level, is_local_government, is_current, geom)
        SELECT code, name, name_en, level, false, false, geom FROM boundary_staging
        ON CONFLICT (code) DO NOTHING;
        INSERT INTO geodata_areaboundary (area_id, vintage_id, name, name_en, geom)
        SELECT a.id, %(v)s, s.name, s.name_en, s.geom FROM boundary_staging s JOIN geodata_area a ON a.code = s.code
        ON CONFLICT (area_id, vintage_id) DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en, geom = EXCLUDED.geom;
        DELETE FROM geodata_areaboundary b WHERE b.vintage_id = %(v)s AND NOT EXISTS (
            SELECT 1 FROM boundary_staging s JOIN geodata_area a ON a.code = s.code WHERE a.id = b.area_id);
        """,
        {"v": vintage.pk},
    )
    record_aliases(cursor, [])  # the codes moved while staging now have their areas
    cursor.execute("SELECT level, count(*) FROM boundary_staging GROUP BY level")
    result.counts = dict(cursor.fetchall())
    cursor.execute("SELECT count(*) FROM boundary_staging WHERE is_lg")
    result.local_governments = cursor.fetchone()[0]
    cursor.execute("DROP TABLE boundary_staging")


def _build_cities(cursor) -> None:
    """The 11 cities with non-autonomous districts have no polygon of their own: union their districts."""
    cursor.execute(
        """
        SELECT left(code, 4) || '0', min(name), min(name_en) FROM boundary_staging
        WHERE level = 'municipal' AND right(code, 1) <> '0'
        GROUP BY left(code, 4)
        """
    )
    cities = [(code, city_name(name), city_name_en(city_name(name), name_en)) for code, name, name_en in cursor.fetchall()]
    if not cities:
        return
    cursor.execute("CREATE TEMP TABLE city_staging (code text, name text, name_en text) ON COMMIT DROP")
    cursor.executemany("INSERT INTO city_staging VALUES (%s, %s, %s)", cities)
    cursor.execute(
        """
        INSERT INTO boundary_staging (code, name, name_en, level, geom)
        SELECT c.code, c.name, c.name_en, 'city',
               (SELECT ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(d.geom)), 3)) FROM boundary_staging d
                WHERE d.level = 'municipal' AND left(d.code, 4) = left(c.code, 4) AND right(d.code, 1) <> '0')
        FROM city_staging c;
        DROP TABLE city_staging;
        """
    )


def _link_hierarchy(cursor, table: str) -> None:
    """Parents by code, in a table of one vintage's units (code, level, parent_code)."""
    cursor.execute(
        f"""
        UPDATE {table} child SET parent_code = p.code FROM {table} p
        WHERE (child.level = 'city' AND p.level = 'province' AND p.code = left(child.code, 2))
            OR (child.level = 'municipal' AND right(child.code, 1) = '0'
                AND p.level = 'province' AND p.code = left(child.code, 2))
            OR (child.level = 'municipal' AND right(child.code, 1) <> '0'
                AND p.level = 'city' AND p.code = left(child.code, 4) || '0')
            OR (child.level = 'submunicipal' AND p.level = 'municipal' AND p.code = left(child.code, 5))
        """
    )


def _assign_governments(cursor, table: str) -> None:
    """Who governs each unit; the rules are those of Korean local-autonomy law, not of one vintage's codes."""
    # Matched on today's names (the change table has been applied).
    province_governed = list(getattr(settings, "PROVINCES_WITHOUT_AUTONOMOUS_MUNICIPALITIES", []))
    cursor.execute(
        f"""
        UPDATE {table} a SET
            is_lg = CASE
                WHEN a.level IN ('province', 'city') THEN true
                WHEN a.level = 'municipal' THEN right(a.code, 1) = '0' AND NOT (p.name = ANY(%(pg)s))
                ELSE false END
        FROM {table} p
        WHERE p.code = COALESCE(a.parent_code, a.code)
        """,
        {"pg": province_governed},
    )
    # A unit that is a local government governs itself; a district belongs to its city; an
    # administrative unit (Sejong, Jeju's cities) to its province; a 읍면동 to its unit's government.
    cursor.execute(
        f"""
        UPDATE {table} SET lg_code = code WHERE is_lg;
        UPDATE {table} a SET lg_code = p.code FROM {table} p
        WHERE a.level = 'municipal' AND NOT a.is_lg AND p.code = a.parent_code AND p.is_lg;
        UPDATE {table} a SET lg_code = m.lg_code FROM {table} m
        WHERE a.level = 'submunicipal' AND m.code = a.parent_code;
        """
    )


def _refresh_current(cursor, vintage: Vintage) -> None:
    """Areas take the geometry, names and hierarchy of the vintage that became current; routing
    pieces are rebuilt from it (pieces hold the current vintage only, so routing needs no join)."""
    cursor.execute(
        """
        CREATE TEMP TABLE current_units ON COMMIT DROP AS
        SELECT a.id, a.code, a.level, b.name, b.name_en, b.geom,
               NULL::text AS parent_code, NULL::text AS lg_code, NULL::boolean AS is_lg
        FROM geodata_areaboundary b JOIN geodata_area a ON a.id = b.area_id WHERE b.vintage_id = %s
        """,
        [vintage.pk],
    )
    _link_hierarchy(cursor, "current_units")
    _assign_governments(cursor, "current_units")
    cursor.execute(
        """
        UPDATE geodata_area SET is_current = false WHERE is_current AND id NOT IN (SELECT id FROM current_units);
        UPDATE geodata_area a SET is_current = true, name = u.name, name_en = u.name_en, geom = u.geom,
            is_local_government = COALESCE(u.is_lg, false), parent_id = p.id, local_government_id = lg.id
        FROM current_units u
        LEFT JOIN geodata_area p ON p.code = u.parent_code
        LEFT JOIN geodata_area lg ON lg.code = u.lg_code
        WHERE a.id = u.id;
        DELETE FROM geodata_areapiece;
        INSERT INTO geodata_areapiece (area_id, level, geom)
        SELECT u.id, u.level, ST_Subdivide(u.geom, %s) FROM current_units u WHERE u.level <> 'city';
        DROP TABLE current_units;
        """,
        [SUBDIVIDE_MAX_VERTICES],
    )
    # Every piece was replaced: fresh statistics for routing's plan (a converted database routed
    # about a quarter slower one at a time until analyzed).
    cursor.execute("ANALYZE geodata_areapiece; ANALYZE geodata_area")


@transaction.atomic
def vintage_make_current(*, year: int) -> Vintage:
    """Route with this vintage from now on; areas keep their rows, and take its boundaries."""
    vintage = Vintage.objects.select_for_update().get(year=year)
    Vintage.objects.filter(is_current=True).exclude(pk=vintage.pk).update(is_current=False)
    if not vintage.is_current:
        vintage.is_current = True
        vintage.save(update_fields=["is_current"])
    with connection.cursor() as cursor:
        _refresh_current(cursor, vintage)
    return vintage
