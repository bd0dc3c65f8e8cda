"""A demo proposal past its first threshold, marked as an example and never counted (`make run`, DEMO=1)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from geodata.models import Area
from geodata.selectors import route_point
from proposals.models import Proposal
from proposals.selectors import proposal_thresholds
from proposals.services import proposal_comment, proposal_create, proposal_support
from residency.services import residence_declare

# 종로구 청운효자동, near 경복궁: inside the same units in every KOSTAT vintage we ship.
DEMO_POINT = (126.9768, 37.5759)


def _demo_user(name: str, dong: Area | None = None):
    """A demo account nobody can sign in to (no usable password), living in the given 읍면동."""
    user, created = get_user_model().objects.get_or_create(username=name, defaults={"email": f"{name}@example.invalid"})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if dong is not None:
        residence_declare(user=user, area=dong)
    return user


class Command(BaseCommand):
    help = "Create one example proposal past its first threshold (is_example), unless one exists."

    def handle(self, *args, **options):
        if Proposal.objects.filter(is_example=True).exists():
            self.stdout.write("An example proposal already exists: nothing to do.")
            return
        route = route_point(lon=DEMO_POINT[0], lat=DEMO_POINT[1])
        if route is None or route.submunicipal_unit is None:
            raise CommandError("Boundaries are not loaded: run import_boundaries first.")
        dong = Area.objects.get(pk=route.submunicipal_unit.id)
        now = timezone.now()
        with transaction.atomic():
            proposal = proposal_create(
                author=_demo_user("demo-proposer", dong), lon=DEMO_POINT[0], lat=DEMO_POINT[1], is_example=True,
                title="[예시] 경복궁 옆 골목길에 보행자 전용 시간을 만들어 주세요",
                body="[예시] 주말 오후에는 관광객과 차량이 뒤섞여 위험합니다. 토·일 13~18시 차량 통행을 막아 주세요.",
                now=now - timedelta(days=12),
            )
            first = proposal_thresholds(government=proposal.local_government)[0]
            for n in range(first.supports + 2):
                supporter = _demo_user(f"demo-resident-{n + 1:03d}", dong)
                proposal_support(proposal=proposal, user=supporter, now=now - timedelta(days=10) + timedelta(hours=3 * n))
            opening = proposal_comment(proposal=proposal, author=_demo_user("demo-resident-001"), stance="for",
                                       body="[예시] 아이와 산책하기 무서웠어요. 찬성합니다.", now=now - timedelta(days=9))
            proposal_comment(proposal=proposal, author=_demo_user("demo-resident-002"), stance="neutral", parent=opening,
                             body="[예시] 상가 배송 시간은 어떻게 하나요?", now=now - timedelta(days=8))
            proposal_comment(proposal=proposal, author=_demo_user("demo-resident-003"), stance="against",
                             body="[예시] 주민 차량은 예외가 필요합니다.", now=now - timedelta(days=7))
        self.stdout.write(self.style.SUCCESS(
            f"Example proposal #{proposal.pk}: {proposal.support_count} supports, past the first threshold ({first.supports})."
        ))
