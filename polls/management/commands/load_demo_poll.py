"""One open example poll in 서울특별시 종로구 for a demo (DEMO=1); never counted, marked [예시]."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from geodata.selectors import local_government_get
from polls.models import Poll
from polls.services import poll_create
from residency.eligibility import Rule

GOVERNMENT = "11010"  # 종로구
CHOICES = [
    ("사직공원 입구", 126.9685, 37.5760),
    ("청운공원 산책로", 126.9659, 37.5873),
    ("삼청공원 놀이터 옆", 126.9830, 37.5899),
]


class Command(BaseCommand):
    help = "Create one open example poll in 종로구 (is_example, never counted) unless one is open already."

    def handle(self, *args, **options):
        now = timezone.now()
        if Poll.objects.filter(is_example=True, closes_at__gt=now).exists():
            self.stdout.write("An example poll is open already: nothing to do.")
            return
        government = local_government_get(code=GOVERNMENT)
        if government is None:
            self.stdout.write("No boundaries loaded: no example poll.")
            return
        poll = poll_create(
            actor=None, government=government, is_example=True, now=now,
            question="[예시] 종로구 공원 어디에 야간 조명을 먼저 설치할까요?",
            description="[예시] 동네 데모용 투표입니다. 결과는 어떤 통계에도 들어가지 않습니다. 종로구에 산다고 등록한 계정이면 투표할 수 있습니다.",
            choices=[{"label": label, "lon": lon, "lat": lat} for label, lon, lat in CHOICES],
            opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=30),
            eligibility_rule=Rule.RESIDENTS, areas=[government], interim_results=True,
        )
        self.stdout.write(self.style.SUCCESS(f"Example poll {poll.pk} open until {timezone.localtime(poll.closes_at):%Y-%m-%d}."))
