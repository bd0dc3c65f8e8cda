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
