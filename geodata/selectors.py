"""Reads of the administrative geography: routing a point to its responsible government."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.db.models import PointField
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import BooleanField, Case, ExpressionWrapper, FloatField, Func, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _

from core.errors import DomainError, ErrorCode
from geodata.models import Area, AreaCodeAlias, AreaQuerySet, Level

# The routing rule, written once as SQL and used by route_point (one point) and by
# generate_reports (set-based): the municipal unit whose subdivided pieces cover the point, the
# lowest code on a shared boundary; then the unit's own 읍면동 covering it (lowest code), or,
# since the 읍면동 layer is generalized apart from the municipal one and may leave a gap or cover a
# neighbour near a border, the unit's nearest 읍면동. `point` and `unit_id` are SQL expressions.


def routing_unit_sql(point: str) -> str:
    return f"""
        SELECT a.id, a.code, a.name, a.name_en, a.parent_id, a.local_government_id
        FROM geodata_areapiece p JOIN geodata_area a ON a.id = p.area_id
        WHERE p.level = 'municipal' AND ST_Covers(p.geom, {point})
        ORDER BY a.code LIMIT 1"""


def routing_dong_sql(point: str, unit_id: str) -> str:
    return f"""COALESCE(
        (SELECT a.id FROM geodata_areapiece p JOIN geodata_area a ON a.id = p.area_id
         WHERE p.level = 'submunicipal' AND a.parent_id = {unit_id} AND ST_Covers(p.geom, {point})
         ORDER BY a.code LIMIT 1),
        (SELECT d.id FROM geodata_area d JOIN geodata_areapiece p ON p.area_id = d.id
         WHERE d.parent_id = {unit_id} ORDER BY ST_Distance(p.geom, {point}), d.code LIMIT 1))"""


_POINT = "ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)"
ROUTE_SQL = f"""
WITH unit AS MATERIALIZED ({routing_unit_sql(_POINT)}
), dong AS (
    SELECT a.id, a.code, a.name, a.name_en FROM geodata_area a, unit
    WHERE a.id = {routing_dong_sql(_POINT, "unit.id")}
)
SELECT pr.id, pr.code, pr.name, pr.name_en,
       lg.id, lg.code, lg.name, lg.name_en,
       unit.id, unit.code, unit.name, unit.name_en,
       dong.id, dong.code, dong.name, dong.name_en,
       city.name
FROM unit
JOIN geodata_area lg ON lg.id = unit.local_government_id
JOIN geodata_area pr ON pr.code = left(unit.code, 2) AND pr.level = 'province'
LEFT JOIN geodata_area city ON city.id = unit.parent_id AND city.level = 'city'
LEFT JOIN dong ON true
"""

# Planning ROUTE_SQL costs about four times as much as running it, so it is PREPARE'd once per
# database session and EXECUTE'd after. Prepared statements outlive transactions (also rolled
# back ones) and die with the session; a new connection prepares again. Set
# GEODATA_PREPARED_ROUTING = False behind a pooler that does not keep sessions (pgbouncer in
# transaction mode).
ROUTE_STATEMENT = "geodata_route_point"
_ROUTE_SQL_POSITIONAL = ROUTE_SQL.replace("%(lon)s", "$1").replace("%(lat)s", "$2")
_PREPARE_ROUTE = f"PREPARE {ROUTE_STATEMENT}(float8, float8) AS {_ROUTE_SQL_POSITIONAL}"
_EXECUTE_ROUTE = f"EXECUTE {ROUTE_STATEMENT}(%s, %s)"
_UNDEFINED_PREPARED_STATEMENT = "26000"


@dataclass(frozen=True, slots=True)
class AreaRef:
    id: int
    code: str
    name: str
    name_en: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name, "name_en": self.name_en}

    def as_area(self) -> Area:
        """The Area with the columns routing already read; any other column loads when first used."""
        return Area.from_db(DEFAULT_DB_ALIAS, ["id", "code", "name", "name_en"], [self.id, self.code, self.name, self.name_en])


@dataclass(frozen=True, slots=True)
class Route:
    province: AreaRef
    local_government: AreaRef
    municipal_unit: AreaRef
    submunicipal_unit: AreaRef | None
    address: str


def _ref(row: tuple, start: int) -> AreaRef | None:
    if row[start] is None:
        return None
    return AreaRef(id=row[start], code=row[start + 1], name=row[start + 2], name_en=row[start + 3])


def _address(province: AreaRef, city_name: str | None, unit: AreaRef, dong: AreaRef | None) -> str:
    """'경기도 수원시 팔달구 행궁동': a district's name carries its city's as a prefix; split them."""
    parts = [province.name]
    if city_name and unit.name.startswith(city_name) and unit.name != city_name:
        parts += [city_name, unit.name[len(city_name):]]
    elif not _same_place(province.name, unit.name):
        parts.append(unit.name)
    if dong:
        parts.append(dong.name)
    return " ".join(parts)


def _same_place(province_name: str, unit_name: str) -> bool:
    """Sejong: the province-level city and its one unit (세종특별자치시, 세종시) are one place."""
    return province_name.endswith("시") and province_name.startswith(unit_name.removesuffix("시"))


def _fetch_route(lon: float, lat: float) -> tuple | None:
    db = connections[DEFAULT_DB_ALIAS]  # once: every access through the proxy costs a lookup
    if not getattr(settings, "GEODATA_PREPARED_ROUTING", True):
        with db.cursor() as cursor:
            cursor.execute(ROUTE_SQL, {"lon": lon, "lat": lat})
            return cursor.fetchone()
    db.ensure_connection()
    session = db.connection  # the DB-API connection: one per database session
    # A DB-API cursor kept per session: routing is the hottest read, and Django's cursor
    # wrapper (created, wrapped and closed per call) costs as much as running the plan.
    cursor = getattr(db, "_geodata_route_cursor", None)
    with db.wrap_database_errors:
        if cursor is None or cursor.connection is not session or cursor.closed:
            cursor = session.cursor()
            cursor.execute(_PREPARE_ROUTE)
            db._geodata_route_cursor = cursor
        try:
            cursor.execute(_EXECUTE_ROUTE, (lon, lat))
        except session.DatabaseError as exc:
            # Deallocated behind our back (DISCARD ALL). Prepare again, unless the error has
            # aborted the transaction: then the next call will.
            db._geodata_route_cursor = None
            if exc.sqlstate != _UNDEFINED_PREPARED_STATEMENT or db.in_atomic_block:
                raise
            cursor.execute(_PREPARE_ROUTE)
            db._geodata_route_cursor = cursor
            cursor.execute(_EXECUTE_ROUTE, (lon, lat))
        return cursor.fetchone()


def route_point(*, lon: float, lat: float) -> Route | None:
    """The province, responsible local government, municipal unit and 읍면동 of a point, or None."""
    row = _fetch_route(float(lon), float(lat))
    if row is None:
        return None
    province, government, unit, dong = _ref(row, 0), _ref(row, 4), _ref(row, 8), _ref(row, 12)
    return Route(
        province=province,
        local_government=government,
        municipal_unit=unit,
        submunicipal_unit=dong,
        address=_address(province, row[16], unit, dong),
    )


def area_geojson_sql(column: str = "geom", simplify: float | None = None) -> str:
    """SQL turning an area's polygon column into GeoJSON: the one way every channel does it.

    RFC 7946 wants counter-clockwise exteriors and 6 decimals; simplifying (a tolerance in degrees)
    keeps a MultiPolygon, since a simplified one-part MultiPolygon would become a Polygon.
    """
    geometry = f"ST_Multi(ST_SimplifyPreserveTopology({column}, {float(simplify)!r}))" if simplify else column
    return f"ST_AsGeoJSON(ST_ForcePolygonCCW({geometry}), 6)"


def radius_degrees(*, radius_m: float, lat: float) -> float:
    """Degrees of longitude that span at least `radius_m` metres at latitude `lat`.

    An index-friendly ST_DWithin box in SRID 4326 before the exact distance in metres: a degree of
    longitude shrinks with the cosine of the latitude (clamped so polar points stay finite).
    """
    return radius_m / 111_320 / max(math.cos(math.radians(lat)), 0.1)


def local_government_get(*, code: str) -> Area | None:
    """The current local government with this KOSTAT code, today's or an old one (a province or an autonomous municipality)."""
    return Area.objects.current().local_governments().select_related("parent").with_code(code).first()


def local_government_find(*, query: str) -> tuple[Area | None, list[Area]]:
    """A current local government from what a person typed: its code (today's or an old one), its
    name, or "name (code)" as the pickers fill in. Returns (the government, []) or (None, candidates)."""
    text = (query or "").strip()
    match = re.fullmatch(r".*\((\d{2,10})\)\s*", text)
    found = local_government_get(code=match.group(1) if match else text)
    if found is not None or not text:
        return found, []
    governments = Area.objects.current().local_governments().select_related("parent")
    named = list(governments.filter(Q(name=text) | Q(name_en__iexact=text)).order_by("code")[:20])
    if len(named) == 1:
        return named[0], []
    return None, named or list(governments.filter(Q(name__contains=text) | Q(name_en__icontains=text)).order_by("code")[:20])


def area_list(*, level: str | None = None, parent_code: str | None = None, local_governments_only: bool = False) -> AreaQuerySet:
    areas = Area.objects.current().select_related("parent", "local_government").defer("geom")
    if level:
        areas = areas.filter(level=level)
    if parent_code:
        areas = areas.filter(parent__code=parent_code)
    if local_governments_only:
        areas = areas.local_governments()
    return areas.order_by("code")


def area_get(*, code: str) -> Area | None:
    return Area.objects.current().select_related("parent", "local_government").filter(code=code).first()


def area_code_today(*, code: str) -> str | None:
    """The code an area answers to today when `code` is one it had before (an alias), else None."""
    if Area.objects.current().filter(code=code).exists():
        return None
    return AreaCodeAlias.objects.filter(code=code, area__is_current=True).values_list("area__code", flat=True).first()


def local_government_list() -> AreaQuerySet:
    return area_list(local_governments_only=True)


def submunicipal_search(*, query: str, limit: int = 10) -> list[dict]:
    """읍면동 by name, with the point to pin (a point on the surface, always inside)."""
    query = query.strip()
    if not query:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT a.code, a.name, a.name_en, lg.name, ST_X(pt), ST_Y(pt)
            FROM geodata_area a
            LEFT JOIN geodata_area lg ON lg.id = a.local_government_id
            CROSS JOIN LATERAL ST_PointOnSurface(a.geom) AS pt
            WHERE a.is_current AND a.level = 'submunicipal' AND (a.name LIKE %(q)s OR a.name_en ILIKE %(q)s)
            ORDER BY (a.name = %(exact)s) DESC, a.name, a.code
            LIMIT %(limit)s
            """,
            {"q": f"%{query}%", "exact": query, "limit": limit},
        )
        return [
            {"code": code, "name": name, "name_en": name_en, "local_government": lg, "lon": round(x, 6), "lat": round(y, 6)}
            for code, name, name_en, lg, x, y in cursor.fetchall()
        ]


def address_locate(*, address: str) -> tuple[float, float]:
    """(lon, lat) of the 읍면동 named in an address such as "서울특별시 종로구 청운효자동".

    Only 읍면동 names are known (no street geocoder): the last words are tried in turn, and a name
    shared by several 읍면동 must be narrowed by its government's name in the address.
    """
    words = address.replace(",", " ").split()
    for word in reversed(words[-4:]):
        matches = [row for row in submunicipal_search(query=word, limit=50) if row["name"] == word]
        narrowed = [row for row in matches if row["local_government"] and row["local_government"] in address]
        if len(narrowed) == 1 or (len(matches) == 1 and not narrowed):
            chosen = narrowed[0] if narrowed else matches[0]
            return chosen["lon"], chosen["lat"]
        if len(matches) > 1:
            raise DomainError(
                ErrorCode.AMBIGUOUS_ADDRESS,
                _("Several 읍면동 are called %(name)s: add the city or district, or give lat and long.") % {"name": word},
            )
    raise DomainError(ErrorCode.UNKNOWN_ADDRESS, _("The address names no 읍면동 we know: give lat and long instead."))


# --- place search ------------------------------------------------------------------------------

# The same expressions as the trigram indexes of migration 0003: names without spaces and
# punctuation, lower-cased, so "종로 구", "Jongno-gu" and "jongno" meet one key.
PLACE_NAME_KEY = "lower(regexp_replace(geodata_area.name, '[[:space:]·.,()-]', '', 'g'))"
PLACE_NAME_EN_KEY = "lower(regexp_replace(geodata_area.name_en, '[[:space:]·.,()-]', '', 'g'))"
# "세종대로 175", "종로 1-2": a road name and a building number are a street address.
STREET_ADDRESS = re.compile(r"(로|길|ro|gil)\s*\d+(-\d+)?\s*$|\s\d+(-\d+)?\s*$", re.IGNORECASE)
PLACE_KIND_ORDER = {"province": 0, "local_government": 1, "municipal": 2, "submunicipal": 3}


def place_key(text: str) -> str:
    return re.sub(r"[\s·.,()\-]", "", text).lower()


def looks_like_street_address(query: str) -> bool:
    return bool(STREET_ADDRESS.search(query.strip()))


def place_kind(*, level: str, is_local_government: bool) -> str:
    if level == "province":
        return "province"
    if is_local_government:
        return "local_government"
    return "submunicipal" if level == "submunicipal" else "municipal"


def place_search(*, query: str, limit: int = 10) -> list[dict]:
    """시도, 시군구 and 읍면동 of the current boundaries by name, Korean or romanized.

    Forgiving of spacing, punctuation and partial names ("청운" finds 청운효자동, "종로 구" and
    "jongno" find 종로구), through pg_trgm. Each result has the point to pin (a point on the
    surface, always inside), the area's bounding box and its kind. Street addresses are not
    places: they need a geocoder (see looks_like_street_address).
    """
    key = place_key(query)
    if not key:
        return []
    name_key = RawSQL(PLACE_NAME_KEY, [])
    name_en_key = RawSQL(PLACE_NAME_EN_KEY, [])
    similarity = Greatest(
        Func(Value(key), name_key, function="word_similarity", output_field=FloatField()),
        Func(Value(key), name_en_key, function="word_similarity", output_field=FloatField()),
    )
    like = "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    # Operators the trigram GIN indexes answer (<% is pg_trgm's word similarity above its
    # threshold, 0.6 by default), instead of computing a similarity for every area.
    matches = RawSQL(
        f"(%s <%% {PLACE_NAME_KEY} OR %s <%% {PLACE_NAME_EN_KEY} OR {PLACE_NAME_KEY} LIKE %s OR {PLACE_NAME_EN_KEY} LIKE %s)",
        [key, key, like, like], output_field=BooleanField(),
    )
    areas = (
        Area.objects.current()
        .exclude(level=Level.CITY, is_local_government=False)
        .filter(matches)
        .annotate(name_key=name_key, name_en_key=name_en_key, similarity=similarity)
        .annotate(
            exact=ExpressionWrapper(Q(name_key=key) | Q(name_en_key=key), output_field=BooleanField()),
            prefix=ExpressionWrapper(Q(name_key__startswith=key) | Q(name_en_key__startswith=key), output_field=BooleanField()),
            level_rank=Case(
                When(level=Level.PROVINCE, then=0), When(is_local_government=True, then=1),
                When(level=Level.MUNICIPAL, then=2), default=3,
            ),
            point=Func("geom", function="ST_PointOnSurface", output_field=PointField(srid=4326)),
        )
        .order_by("-exact", "-prefix", "-similarity", "level_rank", "code")
        .values_list(
            "code", "name", "name_en", "level", "is_local_government",
            "local_government__name", "local_government__name_en", "parent__name", "parent__name_en",
            Func("point", function="ST_X", output_field=FloatField()),
            Func("point", function="ST_Y", output_field=FloatField()),
            Func("geom", function="ST_XMin", output_field=FloatField()),
            Func("geom", function="ST_YMin", output_field=FloatField()),
            Func("geom", function="ST_XMax", output_field=FloatField()),
            Func("geom", function="ST_YMax", output_field=FloatField()),
        )[:limit]
    )
    results = []
    for code, name, name_en, level, is_lg, lg, lg_en, parent, parent_en, x, y, west, south, east, north in areas:
        kind = place_kind(level=level, is_local_government=is_lg)
        # What tells two 신사동 apart: the governing government, or the province above a government.
        context, context_en = (lg, lg_en) if kind in ("submunicipal", "municipal") else (parent, parent_en)
        results.append({
            "code": code, "name": name, "name_en": name_en, "kind": kind,
            "local_government": lg or "", "local_government_en": lg_en or "",
            "context": context or "", "context_en": context_en or "",
            "lon": round(x, 6), "lat": round(y, 6),
            "bbox": [round(west, 6), round(south, 6), round(east, 6), round(north, 6)],
        })
    return results
