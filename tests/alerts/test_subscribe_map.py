"""Alerts are set by choosing a government by name or on the map, never by typing codes."""

import pytest
from django.urls import reverse

from alerts.models import Subscription
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_area_page_links_to_alerts_for_that_area(client):
    body = client.get(reverse("mapping:area-detail", args=["11010"])).content.decode()
    assert f'href="{reverse("alerts:subscribe")}?government=11010"' in body and "이 지역 알림 받기" in body
    response = client.get(reverse("alerts:subscribe"), {"government": "11010"})
    assert response.context["form"].initial["local_government"] == "서울특별시 종로구 (11010)"
    assert 'id="alert-map"' in response.content.decode()
    assert '<option value="부산광역시 중구 (21010)">' in response.content.decode()


@pytest.mark.parametrize("typed", ["서울특별시 중구 (11020)", "11020", "종로구"])
def test_subscribe_by_name_or_list_label(client, typed):
    client.force_login(UserFactory(email="me@example.kr"))
    response = client.post(reverse("alerts:subscribe"), {"kind": "area", "local_government": typed})
    assert response.status_code == 302
    assert Subscription.objects.get().local_government.code == ("11010" if typed == "종로구" else "11020")


def test_ambiguous_or_unknown_name_is_a_clear_error_beside_the_field(client):
    client.force_login(UserFactory(email="me@example.kr"))
    for typed in ["중구", "없는구"]:
        response = client.post(reverse("alerts:subscribe"), {"kind": "area", "local_government": typed})
        assert response.status_code == 400
        assert "목록이나 지도에서 지자체를 고르세요." in response.content.decode()
    response = client.post(reverse("alerts:subscribe"), {"kind": "near", "radius": 500})
    assert response.status_code == 400 and "지도를 눌러 장소를 고르세요." in response.content.decode()
    assert not Subscription.objects.exists()


def test_subscribe_around_a_tapped_point(client):
    client.force_login(UserFactory(email="me@example.kr"))
    response = client.post(reverse("alerts:subscribe"), {"kind": "near", "lat": "37.5759", "lon": "126.9768", "radius": 800})
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.radius_m == 800 and round(subscription.point.y, 4) == 37.5759
