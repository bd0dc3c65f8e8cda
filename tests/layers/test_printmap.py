import re

import pytest

from tests.factories import HAEUNDAE, JONGNO, CategoryFactory, make_report

pytestmark = pytest.mark.django_db


def test_printable_map_has_boundary_and_points(client):
    category = CategoryFactory(code="map-test", name="지도시험")
    inside = make_report(category=category, at=JONGNO)
    make_report(category=category, at=HAEUNDAE)
    response = client.get("/exports/local_governments/11010/map.html")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="map-11010.html"'
    html = response.content.decode()
    assert "종로구" in html and '"Polygon"' in html or '"MultiPolygon"' in html
    assert f"#{inside.pk} 지도시험" in html
    assert "[37.5759, 126.9768]" in html
    assert "129.1604" not in html  # Haeundae is not Jongno's
    assert "@example.kr" not in html


def test_printable_map_unknown_government(client):
    assert client.get("/exports/local_governments/99999/map.html").status_code == 404
    assert client.get("/exports/local_governments/11010001/map.html").status_code == 404


def test_printable_map_is_one_file_that_loads_nothing_from_another_host(client):
    make_report(category=CategoryFactory(), at=JONGNO)
    html = client.get("/exports/local_governments/11010/map.html").content.decode()
    assert not re.search(r"<(script|link|img)\b[^>]*\b(src|href)=\"?(https?:)?//", html)
    assert "cdn.jsdelivr" not in html and "cdnjs" not in html and "jquery" not in html.lower()
    assert "Leaflet 1.9" in html  # Leaflet itself, inlined
    assert ".leaflet-control-layers-toggle" in html and "data:image/png;base64," in html  # its styles and icons


def test_printable_map_escapes_every_value(client):
    hostile = '<img src=x onerror=alert(1)>`${alert(2)}`'
    make_report(category=CategoryFactory(code="hostile", name=hostile), at=JONGNO)
    html = client.get("/exports/local_governments/11010/map.html").content.decode()
    assert "<img src=x" not in html and "${alert" not in html and "`${" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;&#96;&#36;{alert(2)}&#96;" in html
