"""Campaigns and entries for the tests of the campaign outputs (REST, exports, OGC API, tiles).

Made through campaigns.services, like every channel makes them. The form has public fields and a
private one (`contact`, and a private photo field) so every output can be checked for leaks.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from campaigns.services import campaign_create as _campaign_create
from campaigns.services import entry_submit
from geodata.models import Area
from tests.factories import UserFactory

FORM_FIELDS = [
    {"key": "entrance", "label": "입구 형태", "datatype": "singlevaluelist", "required": True, "public": True,
     "values": [{"key": "flat", "name": "턱 없음"}, {"key": "step", "name": "계단"}]},
    {"key": "features", "label": "편의시설", "datatype": "multivaluelist", "public": True,
     "values": [{"key": "ramp", "name": "경사로"}, {"key": "bell", "name": "호출벨"}]},
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
# In 종로구 (11010), a few metres apart.
JONGNO_POINTS = [(126.9768 + i * 0.0004, 37.5759) for i in range(20)]


def campaign_organiser():
    users = get_user_model().objects
    return users.filter(username="campaign-admin").first() or users.create_superuser(
        username="campaign-admin", email="campaign-admin@example.kr", password=None
    )


def make_campaign(*, actor=None, slug: str = "jongno-barrier-free", **kwargs):
    now = timezone.now()
    values = {
        "title": "종로 무장애 지도", "theme": "accessibility", "description": "가게 입구와 화장실을 함께 지도에 담아요.",
        "organiser_government": Area.objects.current().get(code="11010"),
        "starts_at": now - timedelta(days=1), "ends_at": now + timedelta(days=7), "participation": "open",
        "coverage_unit": "dong", "form_fields": FORM_FIELDS, "entry_types": ENTRY_TYPES,
    }
    values.update(kwargs)
    return _campaign_create(actor=actor or campaign_organiser(), slug=slug, **values)


def make_entry(campaign, *, author=None, at=JONGNO_POINTS[0], entry_type: str = "shop", answers: dict | None = None, photos=()):
    return entry_submit(
        campaign=campaign, author=author or UserFactory(), entry_type=entry_type, lon=at[0], lat=at[1],
        answers={"entrance": "flat"} if answers is None else answers, photos=photos,
    )
