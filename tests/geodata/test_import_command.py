"""`import_boundaries`: idempotent re-import, vintages side by side, URLs, and bad inputs."""

from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from geodata.importer import vintage_make_current
from geodata.models import Area, AreaBoundary, AreaPiece, Vintage
from geodata.selectors import route_point
from tests.conftest import KOSTAT_2018
from tests.geodata.factories import (
    BoundaryFeatureFactory,
    square,
    write_geojson,
    write_shapefile,
    write_topojson,
)

pytestmark = pytest.mark.django_db

GUNWI = {"lon": 128.5730, "lat": 36.2430}  # 군위읍: 경상북도 in 2018, 대구광역시 since 2023
JONGNO = {"lon": 126.9768, "lat": 37.5759}


def _import(*args: str, verbosity: int = 0) -> str:
    """Run the command in English (messages are translated; Korean is the default)."""
    out = StringIO()
    with translation.override("en"):
        call_command("import_boundaries", *args, verbosity=verbosity, stdout=out)
    return out.getvalue()


def _database_state() -> dict:
    """Everything an import could touch, row by row (fingerprinted)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT (SELECT count(*) FROM geodata_vintage),
                   (SELECT count(*) FROM geodata_area),
                   (SELECT count(*) FROM geodata_areapiece),
                   (SELECT string_agg(concat_ws('|', id, year, is_current, source, imported_at), ',' ORDER BY id)
                    FROM geodata_vintage),
                   (SELECT md5(string_agg(concat_ws('|', id, code, name, name_en, level, parent_id, is_current,
                                                    local_government_id, is_local_government, ST_NPoints(geom)),
                                          ',' ORDER BY id)) FROM geodata_area),
                   (SELECT md5(string_agg(concat_ws('|', id, area_id, ST_NPoints(geom)), ',' ORDER BY id))
                    FROM geodata_areapiece),
                   (SELECT md5(string_agg(concat_ws('|', id, area_id, vintage_id, name, name_en, ST_NPoints(geom)),
                                          ',' ORDER BY id)) FROM geodata_areaboundary),
                   (SELECT string_agg(concat_ws('|', id, code, area_id), ',' ORDER BY id) FROM geodata_areacodealias)
            """
        )
        vintages, areas, pieces, vintage_rows, area_rows, piece_rows, boundary_rows, alias_rows = cursor.fetchone()
    return {"vintages": vintages, "areas": areas, "pieces": pieces, "vintage_rows": vintage_rows,
            "area_rows": area_rows, "piece_rows": piece_rows, "boundary_rows": boundary_rows, "alias_rows": alias_rows}


def test_reimporting_the_same_files_updates_without_duplicating():
    """The one full re-import of the suite (about 15 s): every idempotency check is here."""
    ids_before = dict(Area.objects.values_list("code", "id"))
    links_before = set(Area.objects.values_list("code", "parent__code", "local_government__code", "is_local_government"))
    state_before = _database_state()
    vintage_before = Vintage.objects.get()
    route_before = route_point(**JONGNO)

    output = _import(str(KOSTAT_2018))

    assert output.strip() == (
        "Imported vintage 2018 (city: 11, municipal: 250, province: 17, submunicipal: 3504); "
        "243 local governments; repaired 191 invalid geometries; now current."
    )  # 11 + 45 + 135 invalid as GDAL reads them (the data README counts 137 읍면동, read another way)
    state_after = _database_state()
    kept = ("vintages", "areas", "pieces", "area_rows", "boundary_rows", "alias_rows")
    assert {key: state_after[key] for key in kept} == {key: state_before[key] for key in kept}
    assert dict(Area.objects.values_list("code", "id")) == ids_before  # ids stable: updated in place
    assert set(Area.objects.values_list("code", "parent__code", "local_government__code", "is_local_government")) == (
        links_before
    )
    vintage = Vintage.objects.get()
    assert (vintage.pk, vintage.year, vintage.is_current) == (vintage_before.pk, 2018, True)
    # Pieces were rebuilt, not added to: routing answers the same.
    assert AreaPiece.objects.filter(area__code="11010").count() >= 1
    assert route_point(**JONGNO) == route_before


def test_if_missing_does_nothing_when_boundaries_are_loaded():
    before = _database_state()
    output = _import("/nonexistent/boundaries", "--if-missing", verbosity=1)
    assert "already loaded" in output
    assert _database_state() == before


def _vintage_2023(folder: Path) -> Path:
    """대구광역시 군위군 (the 2023 change, under today's codes), as one small GeoJSON file."""
    return write_geojson(
        folder / "daegu-2023.geojson",
        [
            BoundaryFeatureFactory(code="22", name="대구광역시", name_eng="Daegu", lon=128.40, lat=36.05, size=0.40),
            BoundaryFeatureFactory(code="22320", name="군위군", name_eng="Gunwi-gun", lon=128.45, lat=36.10, size=0.25),
            BoundaryFeatureFactory(code="2232011", name="군위읍", name_eng="Gunwi-eup", lon=128.50, lat=36.17, size=0.15),
        ],
    )


def test_a_second_vintage_beside_the_current_one_and_switching_to_it(tmp_path, client):
    gunwi = Area.objects.get(code="22320")  # 2018's 37310, moved to Daegu by the change table
    areas_before = Area.objects.count()
    output = _import(str(_vintage_2023(tmp_path)), "--vintage", "2023", "--not-current")

    assert output.strip() == (
        "Imported vintage 2023 (municipal: 1, province: 1, submunicipal: 1); 2 local governments; "
        "repaired 0 invalid geometries."
    )
    assert list(Vintage.objects.values_list("year", "is_current")) == [(2023, False), (2018, True)]
    # The same three areas, with a boundary of each vintage; no new identity.
    assert Area.objects.count() == areas_before
    assert sorted(AreaBoundary.objects.filter(vintage__year=2023).values_list("area__code", flat=True)) == [
        "22", "22320", "2232011",
    ]
    assert AreaPiece.objects.filter(area__code="22320").count() > 1  # still 2018's pieces, the real polygon
    # Routing stays on 2018 until told otherwise.
    route = route_point(**GUNWI)
    assert (route.municipal_unit.code, route.local_government.code, route.province.code) == ("22320", "22320", "22")
    assert Area.objects.current().local_governments().count() == 243

    vintage_make_current(year=2023)

    route = route_point(**GUNWI)
    assert (route.municipal_unit.id, route.local_government.id, route.province.code) == (gunwi.pk, gunwi.pk, "22")
    assert route.submunicipal_unit.code == "2232011"
    assert route.address == "대구광역시 군위군 군위읍"
    assert route_point(**JONGNO) is None  # not in the 2023 file
    assert AreaPiece.objects.filter(area__code="22320").count() == 1  # the 2023 square
    assert not Area.objects.get(code="11010").is_current  # kept, with whatever points at it
    # Nothing counts on 243: the API follows the current vintage.
    assert Area.objects.current().local_governments().count() == 2
    assert client.get("/api/v1/areas/?local_government=true").json()["count"] == 2
    assert client.get("/api/v1/areas/22320/").json()["properties"]["parent"] == "22"
    assert list(Vintage.objects.filter(is_current=True).values_list("year", flat=True)) == [2023]

    vintage_make_current(year=2018)

    assert route_point(**GUNWI).local_government.id == gunwi.pk
    assert route_point(**JONGNO).municipal_unit.code == "11010"
    assert client.get("/api/v1/areas/?local_government=true").json()["count"] == 243
    assert Area.objects.count() == areas_before


def test_importing_from_a_url(http_folder):
    folder, base_url = http_folder
    provinces = json.loads((KOSTAT_2018 / "skorea-provinces-2018.geojson").read_text(encoding="utf-8"))
    sejong = [feature for feature in provinces["features"] if feature["properties"]["code"] == "29"]
    write_geojson(folder / "sejong.geojson", sejong)
    url = f"{base_url}/sejong.geojson"

    output = _import(url, "--vintage", "2030", "--not-current")

    assert output.startswith("Imported vintage 2030 (province: 1); 1 local governments;")
    vintage = Vintage.objects.get(year=2030)
    assert (vintage.is_current, vintage.source) == (False, url)
    imported = AreaBoundary.objects.select_related("area").get(vintage=vintage)
    assert (imported.area.code, imported.name, imported.name_en, imported.area.level) == (
        "29", "세종특별자치시", "Sejongsi", "province"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT ST_Area(ST_SymDifference(n.geom, o.geom)) / ST_Area(o.geom) FROM geodata_areaboundary n, geodata_area o
            WHERE n.id = %s AND o.id = n.area_id
            """,
            [imported.pk],
        )
        assert cursor.fetchone()[0] < 1e-9  # the same polygon as the 2018 import from the file
    assert route_point(**JONGNO).municipal_unit.code == "11010"  # still routed on 2018


def test_a_projected_shapefile_is_reprojected_to_lon_lat(tmp_path):
    # Korea 2000 / Unified CS (EPSG:5179), as KOSTAT's own downloads come, with its .prj.
    shapefile = write_shapefile(
        tmp_path / "unit.shp",
        [BoundaryFeatureFactory(code="11", name="서울특별시", name_eng="Seoul", lon=126.95, lat=37.55, size=0.05)],
        target_srs="EPSG:5179",
    )
    _import(str(shapefile), "--vintage", "2031", "--not-current")
    area = AreaBoundary.objects.get(vintage__year=2031)
    assert area.geom.srid == 4326
    xmin, ymin, xmax, ymax = area.geom.extent
    assert (xmin, ymin, xmax, ymax) == pytest.approx((126.95, 37.55, 127.0, 37.60), abs=1e-5)


def _missing_file(tmp_path, request):
    return [str(tmp_path / "nowhere.geojson")], r"Boundary source not found: .*nowhere\.geojson"


def _garbage(tmp_path, request):
    path = tmp_path / "x.geojson"
    path.write_text("this is not { a boundary file", encoding="utf-8")
    return [str(path)], r"Cannot read x\.geojson as a boundary file \(GeoJSON, TopoJSON or Shapefile\)"


def _without_expected_fields(tmp_path, request):
    feature = {"type": "Feature", "properties": {"foo": 1}, "geometry": square(127.0, 37.0, 0.1)}
    return [str(write_geojson(tmp_path / "foo.geojson", [feature]))], r"lacks the fields code, name"


def _null_geometry(tmp_path, request):
    feature = BoundaryFeatureFactory(code="11", geometry=None)
    return [str(write_geojson(tmp_path / "null.geojson", [feature]))], r"Feature 11 of null\.geojson has no polygon geometry"


def _point_geometry(tmp_path, request):
    feature = BoundaryFeatureFactory(code="11", geometry={"type": "Point", "coordinates": [127.0, 37.5]})
    return [str(write_geojson(tmp_path / "point.geojson", [feature]))], r"Feature 11 of point\.geojson has no polygon"


PROJECTED_RING = [[950000, 1950000], [960000, 1950000], [960000, 1960000], [950000, 1960000], [950000, 1950000]]
NO_CRS = r"coordinates outside the longitude/latitude range and the file declares no coordinate system"


def _shapefile_without_prj(tmp_path, request):
    feature = BoundaryFeatureFactory(code="11", geometry={"type": "Polygon", "coordinates": [PROJECTED_RING]})
    path = write_shapefile(tmp_path / "projected.shp", [feature], source_srs="EPSG:5179", keep_prj=False)
    assert not path.with_suffix(".prj").exists()
    return [str(path)], rf"Feature 11 of projected\.shp has {NO_CRS}"


def _topojson_with_projected_coordinates(tmp_path, request):
    path = write_topojson(tmp_path / "projected-topo.json", "11", "서울특별시", PROJECTED_RING)
    return [str(path)], rf"Feature 11 of projected-topo\.json has {NO_CRS}"


def _empty_folder(tmp_path, request):
    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "notes.txt").write_text("no boundaries here", encoding="utf-8")
    return [str(folder)], r"No boundary files \(GeoJSON, TopoJSON, Shapefile\) in .*empty"


def _unreachable_url(tmp_path, request):
    port = request.getfixturevalue("closed_port")
    url = f"http://127.0.0.1:{port}/boundaries.geojson"
    return [url], rf"Could not download {re.escape(url)}: .*(refused|Errno)"


def _url_not_found(tmp_path, request):
    _folder, base_url = request.getfixturevalue("http_folder")
    url = f"{base_url}/missing.geojson"
    return [url], rf"Could not download {re.escape(url)}: HTTP Error 404"


def _bad_code(tmp_path, request):
    feature = BoundaryFeatureFactory(code="123")
    return [str(write_geojson(tmp_path / "code.geojson", [feature]))], r"has code '123': expected 2, 5 or 7 digits"


def _duplicate_codes(tmp_path, request):
    features = [BoundaryFeatureFactory(code="11"), BoundaryFeatureFactory(code="11", lon=128.0)]
    return [str(write_geojson(tmp_path / "twice.geojson", features))], r"Duplicate codes in the input: 11"


def _mixed_base_years(tmp_path, request):
    features = [BoundaryFeatureFactory(code="11", base_year="2023"), BoundaryFeatureFactory(code="21", base_year="2024")]
    return [str(write_geojson(tmp_path / "years.geojson", features))], r"base years .*2023.*2024.*--vintage"


def _orphan_submunicipal_unit(tmp_path, request):
    # Fails inside the transaction, after rows were written: they must be rolled back.
    features = [
        BoundaryFeatureFactory(code="11", base_year="2032", size=0.5),
        BoundaryFeatureFactory(code="1101053", base_year="2032"),
    ]
    return [str(write_geojson(tmp_path / "orphan.geojson", features))], r"no parent unit in the import.*1101053"


BAD_INPUTS = [
    _missing_file,
    _garbage,
    _without_expected_fields,
    _null_geometry,
    _point_geometry,
    _shapefile_without_prj,
    _topojson_with_projected_coordinates,
    _empty_folder,
    _unreachable_url,
    _url_not_found,
    _bad_code,
    _duplicate_codes,
    _mixed_base_years,
    _orphan_submunicipal_unit,
]


@pytest.mark.parametrize("bad_input", BAD_INPUTS, ids=[f.__name__.strip("_") for f in BAD_INPUTS])
def test_a_bad_input_fails_clearly_and_changes_nothing(bad_input, tmp_path, request):
    args, message = bad_input(tmp_path, request)
    before = _database_state()

    with pytest.raises(CommandError) as error:
        _import(*args)

    assert re.search(message, str(error.value)), str(error.value)
    assert "Traceback" not in str(error.value)
    assert _database_state() == before
    assert not Vintage.objects.filter(year=2032).exists()
