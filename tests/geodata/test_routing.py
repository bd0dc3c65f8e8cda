"""Routing a WGS84 point to its municipal unit, 읍면동 and responsible local government."""

import pytest
from django.db import connection

from geodata.models import Area
from geodata.selectors import route_point

pytestmark = pytest.mark.django_db

# Known places, every province at least once, each well inside its municipal unit (the test
# checks the margin), with the municipal unit and local government they must route to.
# (name, lon, lat, municipal unit, local government)
KNOWN_PLACES = [
    ("서울 경복궁 (Gyeongbokgung)", 126.9770, 37.5796, "11010", "11010"),
    ("서울특별시청 (Seoul City Hall)", 126.9780, 37.5665, "11020", "11020"),
    ("서울 코엑스 (COEX)", 127.0590, 37.5120, "11230", "11230"),
    ("부산광역시청 (Busan City Hall)", 129.0756, 35.1798, "21130", "21130"),
    ("대구광역시청 (Daegu City Hall)", 128.6014, 35.8714, "22010", "22010"),
    ("인천광역시청 (Incheon City Hall)", 126.7052, 37.4563, "23050", "23050"),
    ("광주광역시청 (Gwangju City Hall)", 126.8514, 35.1601, "24020", "24020"),
    ("대전광역시청 (Daejeon City Hall)", 127.3845, 36.3504, "25030", "25030"),
    ("울산광역시청 (Ulsan City Hall)", 129.3114, 35.5384, "26020", "26020"),
    ("세종특별자치시청 (Sejong City Hall)", 127.2890, 36.4800, "29010", "29"),
    ("정부세종청사 (Government Complex Sejong)", 127.2590, 36.5040, "29010", "29"),
    ("수원 화성행궁 (Hwaseong Haenggung)", 127.0138, 37.2816, "31013", "31010"),
    ("고양 킨텍스 (KINTEX)", 126.7453, 37.6688, "31104", "31100"),
    ("용인시청 (Yongin City Hall)", 127.1776, 37.2411, "31191", "31190"),
    ("의정부시청 (Uijeongbu City Hall)", 127.0339, 37.7381, "31030", "31030"),
    ("춘천시청 (Chuncheon City Hall)", 127.7300, 37.8813, "32010", "32010"),
    ("강릉시청 (Gangneung City Hall)", 128.8761, 37.7519, "32030", "32030"),
    ("청주시청 (Cheongju City Hall)", 127.4890, 36.6424, "33041", "33040"),
    ("충주시청 (Chungju City Hall)", 127.9260, 36.9910, "33020", "33020"),
    ("천안시청 (Cheonan City Hall)", 127.1139, 36.8151, "34012", "34010"),
    ("공주 공산성 (Gongsanseong)", 127.1250, 36.4650, "34020", "34020"),
    ("전주 한옥마을 (Jeonju Hanok Village)", 127.1530, 35.8150, "35011", "35010"),
    ("목포시청 (Mokpo City Hall)", 126.3922, 34.8118, "36010", "36010"),
    ("순천시청 (Suncheon City Hall)", 127.4872, 34.9506, "36030", "36030"),
    ("경주 불국사 (Bulguksa)", 129.3320, 35.7900, "37020", "37020"),
    ("포항시청 (Pohang City Hall)", 129.3435, 36.0190, "37011", "37010"),
    ("안동 하회마을 (Hahoe Village)", 128.5180, 36.5390, "37040", "37040"),
    ("창원 용지호수 (Yongji Lake, Changwon)", 128.6880, 35.2370, "38111", "38110"),
    ("진주성 (Jinju Fortress)", 128.0810, 35.1890, "38030", "38030"),
    ("제주시청 (Jeju City Hall)", 126.5312, 33.4996, "39010", "39"),
    ("서귀포시청 (Seogwipo City Hall)", 126.5600, 33.2540, "39020", "39"),
]

OUTSIDE = [
    ("East Sea off Ulsan", 129.6, 35.5),
    ("Pyongyang", 125.75, 39.03),
    ("Tokyo", 139.69, 35.69),
    ("Null Island", 0.0, 0.0),
]


def test_known_places_cover_every_province():
    assert {unit[:2] for *_, unit, _government in KNOWN_PLACES} == set(
        Area.objects.current().filter(level="province").values_list("code", flat=True)
    )
    assert len(KNOWN_PLACES) >= 20


@pytest.mark.parametrize(("name", "lon", "lat", "unit", "government"), KNOWN_PLACES, ids=[p[0] for p in KNOWN_PLACES])
def test_known_place(name, lon, lat, unit, government):
    # The point is well inside its unit, so the expectation does not hang on generalization.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT ST_Distance(ST_Boundary(geom)::geography, ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography)
            FROM geodata_area WHERE code = %s
            """,
            [lon, lat, unit],
        )
        assert cursor.fetchone()[0] > 100, f"{name} is too close to the border of {unit} to be a fair test"

    route = route_point(lon=lon, lat=lat)

    assert route is not None
    assert route.municipal_unit.code == unit
    assert route.local_government.code == government
    assert route.province.code == unit[:2]
    assert route.submunicipal_unit is not None
    assert route.submunicipal_unit.code[:5] == unit
    assert route.address.startswith(route.province.name)
    assert route.address.endswith(route.submunicipal_unit.name)


def test_the_two_points_of_the_data_readme():
    jongno = route_point(lon=126.9768, lat=37.5759)
    haeundae = route_point(lon=129.1604, lat=35.1587)
    assert (jongno.municipal_unit.code, jongno.municipal_unit.name) == ("11010", "종로구")
    assert (haeundae.municipal_unit.code, haeundae.municipal_unit.name) == ("21090", "해운대구")


def test_a_district_routes_to_its_city():
    route = route_point(lon=127.0138, lat=37.2816)  # 화성행궁, in 수원시 팔달구
    assert route.municipal_unit.as_dict() == {"code": "31013", "name": "수원시팔달구", "name_en": "Suwonsipaldalgu"}
    assert route.local_government.as_dict() == {"code": "31010", "name": "수원시", "name_en": "Suwon-si"}
    assert route.province.as_dict() == {"code": "31", "name": "경기도", "name_en": "Gyeonggi-do"}
    assert route.submunicipal_unit.name == "행궁동"
    assert route.address == "경기도 수원시 팔달구 행궁동"
    # Ids are the database's, so callers can store foreign keys.
    assert Area.objects.get(pk=route.local_government.id).code == "31010"
    assert Area.objects.get(pk=route.municipal_unit.id).code == "31013"


def test_every_district_of_every_city_routes_to_the_city():
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT a.code, city.code, ST_X(pt), ST_Y(pt) FROM geodata_area a
            JOIN geodata_area city ON city.id = a.parent_id AND city.level = 'city'
            CROSS JOIN LATERAL ST_PointOnSurface(a.geom) AS pt
            """
        )
        districts = cursor.fetchall()
    assert len(districts) == 32
    for district, city, lon, lat in districts:
        route = route_point(lon=lon, lat=lat)
        assert (route.municipal_unit.code, route.local_government.code) == (district, city)


def test_sejong_routes_to_the_province_level_government():
    route = route_point(lon=127.2890, lat=36.4800)
    assert route.municipal_unit.code == "29010"
    assert route.local_government.code == "29"
    assert route.province.code == "29"
    # One place: the address does not say 세종 twice.
    assert route.address == f"세종특별자치시 {route.submunicipal_unit.name}"


@pytest.mark.parametrize(("lon", "lat", "unit"), [(126.5312, 33.4996, "39010"), (126.5600, 33.2540, "39020")])
def test_jeju_cities_route_to_the_province(lon, lat, unit):
    route = route_point(lon=lon, lat=lat)
    assert route.municipal_unit.code == unit
    assert route.local_government.as_dict() == {"code": "39", "name": "제주특별자치도", "name_en": "Jeju-do"}
    assert route.address.startswith(f"제주특별자치도 {route.municipal_unit.name} ")


@pytest.mark.parametrize(("name", "lon", "lat"), OUTSIDE, ids=[o[0] for o in OUTSIDE])
def test_points_outside_korea_route_nowhere(name, lon, lat):
    assert route_point(lon=lon, lat=lat) is None


def _shared_vertices(first: str, second: str) -> list[tuple[float, float]]:
    """Vertices of the border between two municipal units, each covered by both."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT DISTINCT ST_X(v.geom), ST_Y(v.geom)
            FROM geodata_area a, geodata_area b,
                 ST_DumpPoints(ST_Intersection(ST_Boundary(a.geom), ST_Boundary(b.geom))) AS v
            WHERE a.code = %s AND b.code = %s AND ST_Covers(a.geom, v.geom) AND ST_Covers(b.geom, v.geom)
            ORDER BY 1, 2
            """,
            [first, second],
        )
        return cursor.fetchall()


@pytest.mark.parametrize(("first", "second"), [("11010", "11020"), ("31013", "31014"), ("39010", "39020")])
def test_a_point_on_a_shared_border_takes_the_lowest_code_every_time(first, second):
    vertices = _shared_vertices(first, second)
    assert len(vertices) > 5
    # A few vertices along the border, including its ends (where a third unit may meet).
    for lon, lat in [vertices[0], vertices[len(vertices) // 2], vertices[-1]]:
        routes = {route_point(lon=lon, lat=lat) for _ in range(5)}
        assert len(routes) == 1
        route = routes.pop()
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT min(a.code) FROM geodata_area a JOIN geodata_areapiece p ON p.area_id = a.id
                WHERE a.level = 'municipal' AND ST_Covers(p.geom, ST_SetSRID(ST_MakePoint(%s, %s), 4326))
                """,
                [lon, lat],
            )
            lowest = cursor.fetchone()[0]
        assert lowest <= first
        assert route.municipal_unit.code == lowest
        # The 읍면동 is one of the routed unit's own, even where the separately generalized
        # 읍면동 layer puts the border elsewhere.
        assert route.submunicipal_unit is not None
        assert route.submunicipal_unit.code[:5] == route.municipal_unit.code


def test_every_border_vertex_between_two_units_routes_consistently():
    """Where 종로구 and 중구 meet, the 읍면동 layer disagrees here and there; the answer never mixes units."""
    vertices = _shared_vertices("11010", "11020")
    for lon, lat in vertices:
        route = route_point(lon=lon, lat=lat)
        assert route.municipal_unit.code == "11010"
        assert route.submunicipal_unit.code.startswith("11010")


def test_a_sliver_between_unit_and_읍면동_layers_gets_the_units_nearest_읍면동():
    # The two layers are generalized separately: a sliver of 종로구 lies in none of its 읍면동.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH unit AS (SELECT * FROM geodata_area WHERE code = '11010'),
            sliver AS (
                SELECT (ST_Dump(ST_Difference(unit.geom, ST_Union(d.geom)))).geom AS geom
                FROM unit JOIN geodata_area d ON d.parent_id = unit.id GROUP BY unit.geom
            )
            SELECT ST_X(pt), ST_Y(pt),
                   (SELECT count(*) FROM geodata_area d JOIN unit ON d.parent_id = unit.id WHERE ST_Covers(d.geom, pt)),
                   (SELECT ST_Covers(geom, pt) FROM unit)
            FROM (SELECT ST_PointOnSurface(geom) AS pt FROM sliver ORDER BY ST_Area(geom) DESC LIMIT 1) s
            """
        )
        lon, lat, own_covering, in_unit = cursor.fetchone()
    assert (own_covering, in_unit) == (0, True)

    route = route_point(lon=lon, lat=lat)

    assert route.municipal_unit.code == "11010"
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT d.code FROM geodata_area d JOIN geodata_area u ON u.id = d.parent_id AND u.code = '11010'
            ORDER BY ST_Distance(d.geom, ST_SetSRID(ST_MakePoint(%s, %s), 4326)), d.code LIMIT 1
            """,
            [lon, lat],
        )
        assert route.submunicipal_unit.code == cursor.fetchone()[0]


def test_routing_without_prepared_statements_gives_the_same_answers(settings):
    points = [(lon, lat) for _name, lon, lat, *_ in KNOWN_PLACES[::3]] + [(129.6, 35.5)]
    prepared = [route_point(lon=lon, lat=lat) for lon, lat in points]
    settings.GEODATA_PREPARED_ROUTING = False
    plain = [route_point(lon=lon, lat=lat) for lon, lat in points]
    assert plain == prepared
    assert prepared[-1] is None and prepared[0] is not None
