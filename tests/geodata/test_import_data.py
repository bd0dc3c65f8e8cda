"""The KOSTAT 2018 boundaries as imported into the test database: counts, governments, geometry."""

import pytest
from django.db import connection
from django.db.models import Count, F

from geodata.models import Area, AreaPiece, Level, Vintage

pytestmark = pytest.mark.django_db

# The 11 cities with non-autonomous districts, and how many districts each has in 2018.
CITY_DISTRICTS = {
    "31010": 4, "31020": 3, "31040": 2, "31090": 2, "31100": 3, "31190": 3,
    "33040": 4, "34010": 2, "35010": 2, "37010": 2, "38110": 5,
}
# Municipal units that are not local governments and are not districts of a city.
PROVINCE_ADMINISTERED = {"29010": "29", "39010": "39", "39020": "39"}


def _one(sql: str, params=None) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchone()


def _scalar(sql: str, params=None):
    return _one(sql, params)[0]


def test_one_current_vintage_of_2018():
    assert list(Vintage.objects.values_list("year", "is_current")) == [(2018, True)]


def test_counts_per_level():
    counts = dict(Area.objects.current().values_list("level").annotate(n=Count("id")))
    assert counts == {Level.PROVINCE: 17, Level.CITY: 11, Level.MUNICIPAL: 250, Level.SUBMUNICIPAL: 3504}


def test_243_local_governments_are_17_provinces_and_226_autonomous_municipalities():
    governments = Area.objects.current().local_governments()
    assert governments.count() == 243
    by_level = dict(governments.values_list("level").annotate(n=Count("id")))
    assert by_level == {Level.PROVINCE: 17, Level.CITY: 11, Level.MUNICIPAL: 215}
    assert set(governments.filter(level=Level.CITY).values_list("code", flat=True)) == set(CITY_DISTRICTS)
    # Every autonomous municipal unit ends in 0; the three that end in 0 but are not are Sejong's and Jeju's.
    municipal = Area.objects.current().filter(level=Level.MUNICIPAL)
    not_governments = set(municipal.filter(is_local_government=False).values_list("code", flat=True))
    districts = {code for code in not_governments if not code.endswith("0")}
    assert len(districts) == 32
    assert not_governments - districts == set(PROVINCE_ADMINISTERED)
    # Submunicipal units are never local governments.
    assert not Area.objects.filter(level=Level.SUBMUNICIPAL, is_local_government=True).exists()


def test_every_government_governs_itself():
    governments = Area.objects.current().local_governments()
    assert governments.exclude(local_government_id=F("id")).count() == 0


def test_districts_belong_to_their_city_and_cities_cover_them():
    districts = Area.objects.current().filter(level=Level.MUNICIPAL, is_local_government=False).exclude(
        code__in=PROVINCE_ADMINISTERED
    )
    pairs = list(districts.values_list("code", "local_government__code", "parent__code"))
    assert len(pairs) == sum(CITY_DISTRICTS.values())
    for code, government, parent in pairs:
        assert government == parent == code[:4] + "0", code
    counts = dict(districts.values_list("local_government__code").annotate(n=Count("id")))
    assert counts == CITY_DISTRICTS
    # A city's polygon is the union of its districts.
    symmetric_difference_km2 = _scalar(
        """
        SELECT max(ST_Area(ST_SymDifference(c.geom, d.geom)::geography) / 1e6) FROM geodata_area c
        JOIN LATERAL (SELECT ST_Union(geom) AS geom FROM geodata_area WHERE parent_id = c.id) d ON true
        WHERE c.level = 'city'
        """
    )
    assert symmetric_difference_km2 < 0.01


def test_sejong_and_jeju_units_are_governed_by_their_province():
    units = Area.objects.filter(code__in=PROVINCE_ADMINISTERED).values_list("code", "local_government__code", "parent__code")
    assert {code: (government, parent) for code, government, parent in units} == {
        code: (province, province) for code, province in PROVINCE_ADMINISTERED.items()
    }


def test_every_municipal_and_submunicipal_unit_has_exactly_one_local_government():
    units = Area.objects.current().filter(level__in=[Level.MUNICIPAL, Level.SUBMUNICIPAL])
    assert units.count() == 250 + 3504
    assert units.filter(local_government__isnull=True).count() == 0
    assert units.exclude(local_government__is_local_government=True).count() == 0
    # The government is found through the unit's own line of parents, never a neighbour's.
    mismatched = _scalar(
        """
        SELECT count(*) FROM geodata_area a JOIN geodata_area lg ON lg.id = a.local_government_id
        WHERE a.level IN ('municipal', 'submunicipal') AND lg.code <> left(a.code, length(lg.code))
          AND NOT (lg.level = 'city' AND left(lg.code, 4) = left(a.code, 4))
        """
    )
    assert mismatched == 0
    # A 읍면동 has the government of its municipal unit.
    assert (
        Area.objects.filter(level=Level.SUBMUNICIPAL)
        .exclude(local_government_id=F("parent__local_government_id"))
        .count()
        == 0
    )


def test_hierarchy_follows_the_codes():
    assert Area.objects.current().exclude(level=Level.PROVINCE).filter(parent__isnull=True).count() == 0
    assert Area.objects.filter(level=Level.PROVINCE, parent__isnull=False).count() == 0
    wrong_parent = _scalar(
        """
        SELECT count(*) FROM geodata_area a JOIN geodata_area p ON p.id = a.parent_id
        WHERE NOT (
            (a.level = 'submunicipal' AND p.level = 'municipal' AND p.code = left(a.code, 5))
            OR (a.level = 'municipal' AND p.level = 'province' AND p.code = left(a.code, 2) AND right(a.code, 1) = '0')
            OR (a.level = 'municipal' AND p.level = 'city' AND p.code = left(a.code, 4) || '0')
            OR (a.level = 'city' AND p.level = 'province' AND p.code = left(a.code, 2)))
        """
    )
    assert wrong_parent == 0
    assert Area.objects.get(code="1101053").parent.code == "11010"


def test_names_in_korean_and_english():
    seoul = Area.objects.get(code="11")
    assert (seoul.name, seoul.name_en) == ("서울특별시", "Seoul")
    suwon = Area.objects.get(code="31010")
    assert (suwon.name, suwon.name_en, suwon.level) == ("수원시", "Suwon-si", Level.CITY)
    assert Area.objects.get(code="31013").name == "수원시팔달구"
    assert Area.objects.current().filter(name="").count() == 0
    assert Area.objects.current().filter(name_en="").count() == 0


def test_every_geometry_is_valid_polygonal_wgs84():
    assert _scalar("SELECT count(*) FROM geodata_area WHERE NOT ST_IsValid(geom) OR ST_IsEmpty(geom)") == 0
    assert _scalar("SELECT count(*) FROM geodata_areapiece WHERE NOT ST_IsValid(geom) OR ST_IsEmpty(geom)") == 0
    assert _scalar("SELECT array_agg(DISTINCT ST_SRID(geom)) FROM geodata_area") == [4326]
    assert _scalar("SELECT array_agg(DISTINCT GeometryType(geom)) FROM geodata_area") == ["MULTIPOLYGON"]
    # Inside South Korea's extent (lon/lat, not swapped, not projected).
    xmin, ymin, xmax, ymax = _one(
        "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom) AS e FROM geodata_area) x"
    )
    assert 124 < xmin < 125 and 33 < ymin < 34 and 131 < xmax < 132 and 38 < ymax < 39


def test_pieces_exist_for_every_area_but_cities_and_are_small():
    without_pieces = dict(
        Area.objects.current().filter(pieces__isnull=True).values_list("level").annotate(n=Count("id"))
    )
    assert without_pieces == {Level.CITY: 11}  # a city is routed through its districts
    assert AreaPiece.objects.count() > Area.objects.exclude(level=Level.CITY).count()
    assert _scalar("SELECT max(ST_NPoints(geom)) FROM geodata_areapiece") <= 256


def test_each_areas_pieces_cover_its_geometry():
    # Areas agree for every area (relative difference) ...
    worst = _scalar(
        """
        SELECT max(abs(ST_Area(a.geom) - s.area) / ST_Area(a.geom)) FROM geodata_area a
        JOIN (SELECT area_id, sum(ST_Area(geom)) AS area FROM geodata_areapiece GROUP BY area_id) s ON s.area_id = a.id
        """
    )
    assert worst < 1e-9
    # ... and for a few, including island-rich ones, the union of the pieces is the geometry itself.
    spot_checks = ["11", "11010", "1101053", "29010", "31013", "36480", "39010"]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT a.code, ST_Area(a.geom), ST_Area(ST_SymDifference(a.geom, ST_Union(p.geom)))
            FROM geodata_area a JOIN geodata_areapiece p ON p.area_id = a.id
            WHERE a.code = ANY(%s) GROUP BY a.id
            """,
            [spot_checks],
        )
        rows = cursor.fetchall()
    assert sorted(code for code, *_ in rows) == sorted(spot_checks)
    for code, area, difference in rows:
        assert difference / area < 1e-9, code
