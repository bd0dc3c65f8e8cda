"""Changing a category's sensitivity moves its reports' public points, and every output follows."""

from __future__ import annotations

import json
import math
import re

import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from layers.models import ReportCell
from reports.models import Category, Report
from reports.services import coarse_point
from reports.services_categories import category_load_defaults, category_save, category_set_sensitivity
from tests.factories import JONGNO, CategoryFactory, UserFactory, make_report

pytestmark = pytest.mark.django_db
APPROXIMATE = "대략적인 위치(약 100 m 이내)로 보여 줍니다"


def z16_x(lon: float) -> int:
    return math.floor((lon + 180.0) / 360.0 * 65536)


def straddling_lon(lat: float) -> float:
    """A longitude near 종로구 whose ~100 m grid point lies in the next z16 cell to the west."""
    first = z16_x(JONGNO[0])
    for k in (first, first + 1, first - 1, first + 2, first - 2, first + 3):
        boundary = k * 360 / 65536 - 180
        exact = boundary + 0.00002
        if coarse_point(Point(exact, lat, srid=4326)).x < boundary:
            return exact
    raise AssertionError("no z16 cell boundary near 종로구 splits a grid cell")


def public_outputs(client, report: Report) -> dict[str, tuple[float, float]]:
    """The point shown by the REST detail, the OGC item and the report page."""
    rest = client.get(f"/api/v1/reports/{report.pk}/").json()
    ogc = json.loads(client.get(f"/ogc/collections/reports/items/{report.pk}").content)
    page = client.get(f"/reports/{report.pk}/").content.decode()
    lat = float(re.search(r'<script id="report-lat" type="application/json">([^<]+)</script>', page).group(1))
    lon = float(re.search(r'<script id="report-lon" type="application/json">([^<]+)</script>', page).group(1))
    return {
        "rest": (rest["lon"], rest["lat"]),
        "ogc": tuple(ogc["geometry"]["coordinates"]),
        "page": (round(lon, 6), round(lat, 6)),
    }


def cells(category: Category) -> dict[tuple[int, int, int, str], tuple[int, float, float]]:
    return {
        (cell.z, cell.x, cell.y, cell.status): (cell.count, round(cell.lon_sum, 6), round(cell.lat_sum, 6))
        for cell in ReportCell.objects.filter(category_id=category.pk).exclude(count=0)
    }


def test_marking_sensitive_and_back_moves_every_public_point(client):
    category = CategoryFactory(code="lights-x")
    lat = 37.57593
    exact = (straddling_lon(lat), lat)
    report = make_report(category=category, at=exact)
    others = [make_report(category=category, at=(126.97701 + i * 0.0003, 37.57311)) for i in range(3)]
    untouched = make_report(at=(126.97703, 37.57313))  # another category
    exact_point = (round(exact[0], 6), round(exact[1], 6))
    assert set(public_outputs(client, report).values()) == {exact_point}

    assert category_set_sensitivity(category=category, is_sensitive=True) == 4
    coarse = coarse_point(Point(*exact, srid=4326))
    assert coarse.coords != exact_point
    assert set(public_outputs(client, report).values()) == {coarse.coords}
    for other in others:
        other.refresh_from_db()
        assert other.public_location.coords == coarse_point(other.location).coords != other.location.coords
    untouched_before = untouched.public_location.coords
    untouched.refresh_from_db()
    assert untouched.public_location.coords == untouched_before
    assert APPROXIMATE in client.get(f"/reports/{report.pk}/").content.decode()

    assert category_set_sensitivity(category=category, is_sensitive=False) == 4
    assert set(public_outputs(client, report).values()) == {exact_point}
    assert APPROXIMATE not in client.get(f"/reports/{report.pk}/").content.decode()
    for other in others:
        other.refresh_from_db()
        assert other.public_location.coords == other.location.coords


def test_the_map_cells_follow_the_moved_points():
    category = CategoryFactory(code="cells-x")
    lat = 37.57593
    exact_lon = straddling_lon(lat)
    make_report(category=category, at=(exact_lon, lat))
    make_report(category=category, at=(exact_lon + 0.0001, lat))
    coarse_lon = coarse_point(Point(exact_lon, lat, srid=4326)).x
    assert z16_x(coarse_lon) == z16_x(exact_lon) - 1

    def z16_counts() -> dict[int, int]:
        return {key[1]: value[0] for key, value in cells(category).items() if key[0] == 16}

    assert z16_counts() == {z16_x(exact_lon): 2}
    category_set_sensitivity(category=category, is_sensitive=True)
    assert z16_counts() == {z16_x(coarse_lon): 2}
    # The cells kept by the triggers equal a rebuild from scratch, at every level.
    kept = cells(category)
    with connection.cursor() as cursor:
        cursor.execute("SELECT layers_reportcell_refresh()")
    assert cells(category) == kept
    category_set_sensitivity(category=category, is_sensitive=False)
    assert z16_counts() == {z16_x(exact_lon): 2}


def test_saving_without_changing_sensitivity_moves_nothing():
    category = CategoryFactory(code="same-x", is_sensitive=True)
    report = make_report(category=category)
    before = (report.public_location.coords, report.updated_at)
    category.name = "새 이름"
    assert category_save(category=category) == 0
    report.refresh_from_db()
    assert (report.public_location.coords, report.updated_at) == before
    assert category_save(category=Category(code="brand-new-x", name="새", name_en="New", is_sensitive=True)) == 0


def test_the_admin_saves_through_the_service(client):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    category = CategoryFactory(code="admin-x")
    report = make_report(category=category, at=(126.97689, 37.57587))
    form = {
        "code": category.code, "name": category.name, "name_en": category.name_en, "description": "",
        "description_en": "", "group": category.group, "group_en": "", "keywords": "", "local_government": "",
        "is_sensitive": "on", "sla_days": "7", "is_active": "on", "order": "0",
        "questions-TOTAL_FORMS": "0", "questions-INITIAL_FORMS": "0", "questions-MIN_NUM_FORMS": "0", "questions-MAX_NUM_FORMS": "1000",
    }
    response = client.post(f"/admin/reports/category/{category.pk}/change/", form, follow=True)
    assert response.status_code == 200 and "errornote" not in response.content.decode()
    report.refresh_from_db()
    assert Category.objects.get(pk=category.pk).is_sensitive
    assert report.public_location.coords == coarse_point(report.location).coords != report.location.coords
    del form["is_sensitive"]
    client.post(f"/admin/reports/category/{category.pk}/change/", form)
    report.refresh_from_db()
    assert report.public_location.coords == report.location.coords


def test_new_defaults_that_change_a_sensitivity_move_the_points_too():
    definition = {"code": "defaults-x", "name": "가로등", "name_en": "Lights", "questions": []}
    category_load_defaults(definitions=[{**definition, "is_sensitive": False}])
    report = make_report(category=Category.objects.get(code="defaults-x"), at=(126.97689, 37.57587))
    assert report.public_location.coords == report.location.coords
    category_load_defaults(definitions=[{**definition, "is_sensitive": True}])
    report.refresh_from_db()
    assert report.public_location.coords == coarse_point(report.location).coords != report.location.coords


def test_a_report_filed_with_a_stale_category_still_gets_the_current_sensitivity():
    category = CategoryFactory(code="stale-x")
    stale = Category.objects.get(pk=category.pk)
    category_set_sensitivity(category=category, is_sensitive=True)
    assert stale.is_sensitive is False  # what a form loaded before the change holds
    report = make_report(category=stale, at=(126.97689, 37.57587))
    assert report.public_location.coords == coarse_point(report.location).coords != report.location.coords
