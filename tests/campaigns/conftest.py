"""Campaign fixtures: a Jongno-gu accessibility campaign, and a small grid-aligned drawn square."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.gis.geos import Point, Polygon
from django.utils import timezone

from campaigns.models import CampaignMember
from campaigns.services import campaign_create, campaign_member_add
from geodata.models import Area
from staff.models import StaffRole
from tests.factories import UserFactory

FORM_FIELDS = [
    {"key": "entrance", "label": "입구 형태", "datatype": "singlevaluelist", "required": True, "public": True,
     "values": [{"key": "flat", "name": "턱 없음"}, {"key": "step", "name": "계단"}, {"key": "ramp", "name": "경사로"}]},
    {"key": "width_cm", "label": "문 폭(cm)", "datatype": "number", "public": True},
    {"key": "note", "label": "메모", "datatype": "text", "public": True},
    {"key": "contact", "label": "연락처(비공개)", "datatype": "string", "public": False},
    {"key": "photo", "label": "사진", "datatype": "photo", "public": True},
    {"key": "face_photo", "label": "관계자 사진(비공개)", "datatype": "photo", "public": False},
]
ENTRY_TYPES = [
    {"key": "shop", "label": "가게 입구", "colour": "#1f78b4", "icon": "♿"},
    {"key": "toilet", "label": "장애인 화장실", "colour": "#33a02c", "icon": "WC"},
]
# Inside 종로구 (11010), in 청운효자동 and in 사직동.
JONGNO_POINT = (126.9768, 37.5759)
OUTSIDE_JONGNO = (129.1604, 35.1587)  # 해운대구


def jongno() -> Area:
    return Area.objects.current().get(code="11010")


def staff_of(code: str, **kwargs):
    user = UserFactory(**kwargs)
    StaffRole.objects.create(user=user, local_government=Area.objects.current().get(code=code), role=StaffRole.Role.STAFF)
    return user


def make_campaign(*, actor, **kwargs):
    now = timezone.now()
    values = {
        "slug": "jongno-barrier-free", "title": "종로 무장애 지도", "theme": "accessibility",
        "description": "가게 입구와 화장실을 함께 지도에 담아요.", "organiser_government": jongno(),
        "starts_at": now - timedelta(days=1), "ends_at": now + timedelta(days=7), "participation": "open",
        "coverage_unit": "dong", "form_fields": FORM_FIELDS, "entry_types": ENTRY_TYPES,
    }
    values.update(kwargs)
    return campaign_create(actor=actor, **values)


def grid_square(*, cells: int = 2, at=JONGNO_POINT):
    """A square of cells x cells 250 m grid cells, aligned with ST_SquareGrid's cells in EPSG:5179,
    and the centre of each cell (lon, lat), row by row from the south-west."""
    origin = Point(*at, srid=4326)
    origin.transform(5179)
    x0, y0 = (origin.x // 250) * 250, (origin.y // 250) * 250
    side = 250 * cells
    square = Polygon(((x0, y0), (x0 + side, y0), (x0 + side, y0 + side), (x0, y0 + side), (x0, y0)), srid=5179)
    square.transform(4326)
    centres = []
    for j in range(cells):
        for i in range(cells):
            centre = Point(x0 + 125 + 250 * i, y0 + 125 + 250 * j, srid=5179)
            centre.transform(4326)
            centres.append((centre.x, centre.y))
    return square, centres


@pytest.fixture
def organiser(db):
    return staff_of("11010", username="jongno-organiser")


@pytest.fixture
def campaign(organiser):
    return make_campaign(actor=organiser)


@pytest.fixture
def mapper(db):
    return UserFactory(username="mapper-kim-0417", email="kim0417@example.kr", first_name="민지", last_name="김")


@pytest.fixture
def validator(campaign, organiser):
    user = UserFactory(username="checker", email="checker@example.kr")
    campaign_member_add(campaign=campaign, actor=organiser, user=user, role=CampaignMember.Role.VALIDATOR, team="검수")
    return user
