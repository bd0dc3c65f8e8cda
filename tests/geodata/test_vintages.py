"""Governments keep their identity across boundary vintages and code changes, with today's names."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from alerts.selectors import subscriptions_for_report
from alerts.services import subscription_create
from clients.services import api_client_create, api_key_create
from geodata.models import Area, AreaBoundary, AreaCodeAlias, Vintage
from geodata.selectors import route_point
from reports.selectors import category_list, report_filters_parse
from staff.models import StaffRole
from staff.selectors import staff_governments, staff_recipients_for_new_report, staff_report_queue
from tests.conftest import KOSTAT_2018
from tests.factories import JONGNO, CategoryFactory, UserFactory, make_report
from tests.geodata.factories import BoundaryFeatureFactory, write_geojson
from tests.geodata.test_import_command import GUNWI, _database_state

pytestmark = pytest.mark.django_db

EMAIL, PHONE = "jongno-reporter@example.kr", "010-2222-3333"
CHANGE_COLUMNS = "date,kind,code,new_code,new_name,new_parent,members,new_name_en"


def _call(command: str, *args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command(command, *args, verbosity=0, stdout=out)
    return out.getvalue()


def _changes(tmp_path: Path, *rows: str) -> str:
    path = tmp_path / "changes.csv"
    path.write_text("\n".join([CHANGE_COLUMNS, *rows]) + "\n", encoding="utf-8")
    return str(path)


def _point_in(code: str) -> dict[str, float]:
    """A point well inside a 읍면동 (on its surface, so inside its municipal unit's pieces too)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_X(p), ST_Y(p) FROM geodata_area, ST_PointOnSurface(geom) p WHERE code = %s", [code])
        lon, lat = cursor.fetchone()
    return {"lon": lon, "lat": lat}


def test_what_points_at_a_government_keeps_working_after_a_new_vintage_becomes_current(client):
    jongno = Area.objects.current().get(code="11010")
    officer = UserFactory(username="jongno-officer")
    StaffRole.objects.create(user=officer, local_government=jongno, role=StaffRole.Role.STAFF)
    resident = UserFactory()
    alert = subscription_create(user=resident, local_government=jongno)
    _key, staff_key = api_key_create(client=api_client_create(name="Jongno staff app", local_government=jongno),
                                     scopes=["read", "staff"])
    own = CategoryFactory(code="jongno-own", local_government=jongno)
    before = make_report(at=JONGNO, reporter_email="before@example.kr")
    areas_before = dict(Area.objects.values_list("code", "id"))

    output = _call("import_boundaries", str(KOSTAT_2018), "--vintage", "2019", "--make-current")

    assert output.startswith("Imported vintage 2019 (city: 11, municipal: 250, province: 17, submunicipal: 3504);")
    assert list(Vintage.objects.values_list("year", "is_current")) == [(2019, True), (2018, False)]
    assert dict(Area.objects.values_list("code", "id")) == areas_before  # no new rows: the same governments
    assert AreaBoundary.objects.filter(area=jongno).count() == 2  # a polygon per vintage
    assert Area.objects.current().local_governments().count() == 243

    filing_app = api_client_create(name="Filing app")
    report = make_report(at=JONGNO, category=own, api_client=filing_app, reporter_email=EMAIL, reporter_phone=PHONE)
    assert report.local_government_id == jongno.pk
    # The officer's queue and per-report notice.
    assert list(staff_governments(user=officer)) == [jongno]
    queue = staff_report_queue(user=officer, governments=[jongno], filters=report_filters_parse({}))
    assert {before.pk, report.pk} <= set(queue.values_list("pk", flat=True))
    assert officer.pk in set(staff_recipients_for_new_report(report=report).values_list("user_id", flat=True))
    # The area alert.
    assert alert.pk in set(subscriptions_for_report(report=report).values_list("pk", flat=True))
    # The staff-scoped key sees the reporter's contact on the new report.
    detail = client.get(f"/open311/v2/requests/{report.pk}.json", {"extensions": "true", "api_key": staff_key}).json()
    assert (detail[0]["extended_attributes"]["reporter_email"], detail[0]["extended_attributes"]["reporter_phone"]) == (
        EMAIL, PHONE,
    )
    # The government's own category is still offered there.
    route = route_point(lon=JONGNO[0], lat=JONGNO[1])
    assert own in category_list(local_government_code=route.local_government.code, province_code=route.province.code)
    # Nothing filed before changed its government.
    before.refresh_from_db()
    assert (before.local_government_id, before.municipal_unit_id) == (jongno.pk, jongno.pk)


def test_a_split_built_from_dongs_routes_new_reports_to_the_new_government(tmp_path):
    jongno = Area.objects.get(code="11010")
    sajik = _point_in("1101053")  # 사직동
    elsewhere = _point_in("1101072")  # 청운효자동, staying in 종로구
    before = make_report(at=(sajik["lon"], sajik["lat"]))
    area_before = jongno.geom.area
    table = _changes(tmp_path, "2030-01-01,split,11010,11260,새종로구,11,1101053 1101054,Saejongno-gu")

    _call("apply_boundary_changes", "--changes", table)

    new = Area.objects.get(code="11260")
    assert (new.name, new.name_en, new.parent.code, new.is_local_government, new.local_government_id) == (
        "새종로구", "Saejongno-gu", "11", True, new.pk,
    )
    assert set(new.children.current().values_list("code", flat=True)) == {"1126053", "1126054"}
    route = route_point(**sajik)
    assert (route.local_government.code, route.submunicipal_unit.code) == ("11260", "1126053")
    assert route.address == "서울특별시 새종로구 사직동"
    assert route_point(**elsewhere).local_government.id == jongno.pk
    jongno.refresh_from_db()
    assert 0 < jongno.geom.area < area_before  # shrunk by the members
    assert Area.objects.current().local_governments().count() == 244
    after = make_report(at=(sajik["lon"], sajik["lat"]))
    assert after.local_government_id == new.pk
    before.refresh_from_db()
    assert before.local_government_id == jongno.pk  # filed before the split: stays

    # Applying the same table again changes nothing.
    state = _database_state()
    _call("apply_boundary_changes", "--changes", table)
    assert {key: value for key, value in _database_state().items() if key != "piece_rows"} == {
        key: value for key, value in state.items() if key != "piece_rows"
    }


def test_a_merge_moves_dongs_to_the_receiving_government(tmp_path):
    jung, jongno = Area.objects.get(code="11020"), Area.objects.get(code="11010")
    moving = _point_in("1102052")
    staying = _point_in("1102054")
    before = make_report(at=(moving["lon"], moving["lat"]))
    jongno_area, jung_area = jongno.geom.area, jung.geom.area
    table = _changes(tmp_path, "2030-01-01,merge,11020,11010,,,1102052 1102059 1102065,")

    _call("apply_boundary_changes", "--changes", table)

    route = route_point(**moving)
    assert (route.local_government.id, route.submunicipal_unit.code) == (jongno.pk, "1101052")
    assert route_point(**staying).local_government.id == jung.pk
    jongno.refresh_from_db()
    jung.refresh_from_db()
    assert jongno.geom.area > jongno_area and 0 < jung.geom.area < jung_area
    assert (jung.is_current, Area.objects.current().local_governments().count()) == (True, 243)
    before.refresh_from_db()
    assert before.local_government_id == jung.pk


def test_todays_names_and_parents(client):
    michuhol = _point_in("2303073")  # 관교동
    route = route_point(**michuhol)
    assert (route.local_government.code, route.local_government.name, route.local_government.name_en) == (
        "23030", "미추홀구", "Michuhol-gu",
    )
    assert route.address == "인천광역시 미추홀구 관교동"
    route = route_point(**GUNWI)
    assert (route.province.code, route.local_government.code, route.address) == ("22", "22320", "대구광역시 군위군 군위읍")
    chuncheon = route_point(**_point_in("3201052"))
    assert chuncheon.address.startswith("강원특별자치도 춘천시 ")
    assert route_point(**_point_in("3501160")).province.name == "전북특별자치도"

    areas = {code: client.get(f"/api/v1/areas/{code}/").json()["properties"] for code in ("23030", "32", "35", "22320")}
    assert {code: (p["name"], p["parent"]) for code, p in areas.items()} == {
        "23030": ("미추홀구", "23"), "32": ("강원특별자치도", None), "35": ("전북특별자치도", None), "22320": ("군위군", "22"),
    }
    assert areas["32"]["name_en"] == "Gangwon State"
    daegu = client.get("/api/v1/areas/", {"parent": "22", "level": "municipal"}).json()
    assert "22320" in [item["code"] for item in daegu["results"]]
    assert client.get("/api/v1/areas/", {"parent": "37"}).json()["count"] == 22  # 23 in 2018, less 군위군
    assert "미추홀구" in client.get("/areas/23030/").content.decode()
    # Jeju and Sejong, matched by name, still govern their units after the renames.
    assert not Area.objects.get(code="39010").is_local_government
    assert Area.objects.get(code="39010").local_government.code == "39"


def test_old_codes_redirect_permanently(client):
    assert set(AreaCodeAlias.objects.filter(area__code__startswith="22320").values_list("code", flat=True)) >= {
        "37310", "3731011",
    }
    response = client.get("/api/v1/areas/37310/", {"simplify": "0.01"})
    assert (response.status_code, response["Location"]) == (301, "/api/v1/areas/22320/?simplify=0.01")
    response = client.get("/areas/37310/")
    assert (response.status_code, response["Location"]) == (301, "/areas/22320/")
    assert client.get("/areas/22320/").status_code == 200
    assert Area.objects.with_code("37310").get().code == "22320"
    assert client.get("/api/v1/areas/99999/").status_code == 404


def _unknown_kind(tmp_path):
    return ["import_boundaries", str(_small_vintage(tmp_path)), "--changes",
            _changes(tmp_path, "2030-01-01,rebrand,11,,서울,,,")], r"line 2: unknown kind 'rebrand'"


def _bad_date(tmp_path):
    return ["import_boundaries", str(_small_vintage(tmp_path)), "--changes",
            _changes(tmp_path, "2030-13-01,rename,11,,서울,,,")], r"line 2: bad date '2030-13-01'"


def _member_not_found_at_import(tmp_path):
    table = _changes(tmp_path, "2030-01-01,split,11010,11260,새종로구,11,1101053 1101099,")
    return ["import_boundaries", str(_small_vintage(tmp_path)), "--changes", table], (
        r"line 2 \(split of 11010\): member 읍면동 not found in the data: 1101099"
    )


def _member_not_found_in_current(tmp_path):
    table = _changes(tmp_path, "2030-01-01,merge,11010,11020,,,1101053 1101099,")
    return ["apply_boundary_changes", "--changes", table], r"member 읍면동 not found in the data: 1101099"


def _small_vintage(tmp_path) -> Path:
    return write_geojson(
        tmp_path / "seoul-2032.geojson",
        [
            BoundaryFeatureFactory(code="11", name="서울특별시", base_year="2032", lon=126.9, lat=37.5, size=0.2),
            BoundaryFeatureFactory(code="11010", name="종로구", base_year="2032", lon=126.95, lat=37.55, size=0.1),
            BoundaryFeatureFactory(code="1101053", name="사직동", base_year="2032", lon=126.96, lat=37.56, size=0.02),
        ],
    )


def _merge_onto_taken_codes(tmp_path):
    # A whole merge moves every 읍면동 under the receiving unit's prefix: 1102054 onto 1101054 (삼청동).
    table = _changes(tmp_path, "2030-01-01,merge,11020,11010,,,,")
    return ["apply_boundary_changes", "--changes", table], r"the members' new codes are taken: 1101054, "


BAD_TABLES = [_unknown_kind, _bad_date, _member_not_found_at_import, _member_not_found_in_current, _merge_onto_taken_codes]


@pytest.mark.parametrize("bad_table", BAD_TABLES, ids=[f.__name__.strip("_") for f in BAD_TABLES])
def test_a_bad_change_table_fails_clearly_and_changes_nothing(bad_table, tmp_path):
    args, message = bad_table(tmp_path)
    before = _database_state()

    with pytest.raises(CommandError) as error:
        _call(*args)

    assert re.search(message, str(error.value)), str(error.value)
    assert _database_state() == before
    assert not Vintage.objects.filter(year=2032).exists()


def test_a_bad_change_table_is_reported_in_korean_by_default(tmp_path):
    table = _changes(tmp_path, "2030-01-01,rebrand,11,,서울,,,")
    with pytest.raises(CommandError) as error:
        call_command("apply_boundary_changes", "--changes", table, verbosity=0, stdout=StringIO())
    assert "rebrand" in str(error.value) and "unknown kind" not in str(error.value)
