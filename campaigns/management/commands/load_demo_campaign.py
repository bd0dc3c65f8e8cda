"""The demo's mapping campaign: one open barrier-free campaign in 수원시 with a few entries, most of
them validated. Marked as an example (`is_example`), so no statistic ever counts it."""

from __future__ import annotations

import io
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from PIL import Image

from campaigns.models import Campaign, CampaignMember
from campaigns.services import campaign_create, campaign_member_add, entry_send_back, entry_submit, entry_validate
from geodata.selectors import local_government_get

SLUG = "suwon-barrier-free-example"
CITY = "31010"  # 수원시
SEED = 0.42
FORM_FIELDS = [
    {"key": "entrance", "label": "입구 형태", "datatype": "singlevaluelist", "required": True, "public": True,
     "values": [{"key": "flat", "name": "턱 없음"}, {"key": "step", "name": "계단·턱"}, {"key": "ramp", "name": "경사로"}]},
    {"key": "door_cm", "label": "문 폭(cm)", "datatype": "number", "required": False, "public": True},
    {"key": "note", "label": "메모", "datatype": "text", "required": False, "public": True},
    {"key": "photo", "label": "사진", "datatype": "photo", "required": False, "public": True},
    {"key": "contact", "label": "가게 연락처 (비공개)", "datatype": "string", "required": False, "public": False},
]
ENTRY_TYPES = [
    {"key": "shop", "label": "가게 입구", "colour": "#1f78b4", "icon": "♿"},
    {"key": "toilet", "label": "장애인 화장실", "colour": "#33a02c", "icon": "WC"},
    {"key": "ramp", "label": "경사로", "colour": "#e31a1c", "icon": "↗"},
]
ENTRIES = [  # entry type, answers, what the validator does
    ("shop", {"entrance": "step", "door_cm": 80, "note": "[예시] 계단 두 칸, 경사로 없음"}, "validate"),
    ("shop", {"entrance": "flat", "door_cm": 95, "note": "[예시] 자동문"}, "validate"),
    ("toilet", {"entrance": "flat", "note": "[예시] 지하철역 1층 장애인 화장실"}, "validate"),
    ("ramp", {"entrance": "ramp", "note": "[예시] 경사가 가팔라요"}, "validate"),
    ("shop", {"entrance": "step", "note": "[예시] 사진이 흐림"}, "send_back"),
    ("toilet", {"entrance": "flat"}, None),
]
POINTS_SQL = """
SELECT ST_X(d.geom), ST_Y(d.geom)
FROM campaigns_campaign c CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(c.area, %(n)s, 20240501)) AS d
WHERE c.id = %(campaign)s ORDER BY d.path
"""


def _photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (480, 360), (160, 170, 150)).save(buffer, "JPEG")
    return SimpleUploadedFile("example.jpg", buffer.getvalue(), content_type="image/jpeg")


def _demo_account(username: str):
    """A demo volunteer: no password anyone can use, an address that receives nothing."""
    user, created = get_user_model().objects.get_or_create(username=username, defaults={"email": f"{username}@example.invalid"})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


class Command(BaseCommand):
    help = "Create the example barrier-free mapping campaign in 수원시 (is_example) unless it exists."

    def handle(self, *args, **options):
        if Campaign.objects.filter(slug=SLUG).exists():
            self.stdout.write("The example campaign already exists: nothing to do.")
            return
        city = local_government_get(code=CITY)
        if city is None:
            raise CommandError("수원시 (31010) is not among the boundaries: import them first.")
        # The operator running the command holds every power; no account is created or granted
        # anything for it (an unsaved superuser stands for the command line).
        operator = get_user_model()(username="load_demo_campaign", is_superuser=True)
        now = timezone.now()
        with transaction.atomic():
            campaign = campaign_create(
                actor=operator, slug=SLUG, title="[예시] 수원 무장애 지도", theme="accessibility",
                description="[예시] 휠체어와 유모차로 갈 수 있는 가게 입구, 장애인 화장실, 경사로를 함께 지도에 담아요. "
                            "동네의 예시 데이터로, 통계에는 세지 않습니다.",
                organiser_government=city, starts_at=now - timedelta(days=3), ends_at=now + timedelta(days=60),
                participation="open", coverage_unit="dong", form_fields=FORM_FIELDS, entry_types=ENTRY_TYPES,
                is_example=True,
            )
            validator = _demo_account("example-validator")
            campaign_member_add(campaign=campaign, actor=operator, user=validator, role=CampaignMember.Role.VALIDATOR, team="예시 검수팀")
            volunteers = [_demo_account(f"example-volunteer-{n}") for n in (1, 2)]
            for volunteer in volunteers:
                campaign_member_add(campaign=campaign, actor=operator, user=volunteer, role=CampaignMember.Role.MAPPER, team="예시 1조")
            with connection.cursor() as cursor:
                cursor.execute(POINTS_SQL, {"n": len(ENTRIES), "campaign": campaign.pk})
                points = cursor.fetchall()
            for index, ((entry_type, answers, review), (lon, lat)) in enumerate(zip(ENTRIES, points, strict=True)):
                entry = entry_submit(
                    campaign=campaign, author=volunteers[index % 2], entry_type=entry_type, lon=lon, lat=lat,
                    answers=answers, photos={"photo": _photo()} if index == 0 else (),
                )
                if review == "validate":
                    entry_validate(entry=entry, actor=validator)
                elif review == "send_back":
                    entry_send_back(entry=entry, actor=validator, reason="[예시] 입구가 보이게 다시 찍어 주세요")
        self.stdout.write(f"Created the example campaign /campaigns/{SLUG}/ with {len(ENTRIES)} entries.")
