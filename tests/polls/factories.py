"""Residents and polls for the polls, residency and API tests (through the services, like every channel)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from geodata.models import Area
from polls.services import poll_create
from residency.eligibility import Rule
from residency.services import residence_declare
from tests.factories import UserFactory

SEOUL = ZoneInfo("Asia/Seoul")
# The frozen clock of these tests: polls open at OPENS, close at CLOSES; NOW is in between.
OPENS = datetime(2026, 6, 1, 9, 0, tzinfo=SEOUL)
NOW = OPENS + timedelta(days=1)
CLOSES = OPENS + timedelta(days=7)
AFTER = CLOSES + timedelta(hours=1)


def area(code: str) -> Area:
    return Area.objects.current().get(code=code)


def dong(name: str, government_code: str = "11010") -> Area:
    """A current 읍면동 of a government, by name (KOSTAT codes of 읍면동 change between vintages)."""
    return Area.objects.current().get(level="submunicipal", name=name, local_government__code=government_code)


def resident(where: Area | None = None, **kwargs):
    user = UserFactory(**kwargs)
    if where is not None:
        residence_declare(user=user, area=where, now=OPENS - timedelta(days=30))
    return user


def make_poll(*, government: str = "11010", rule: str = Rule.SIGNED_IN, areas: list[Area] = (), choices=("찬성", "반대"), **kwargs):
    return poll_create(
        actor=None, government=area(government), question=kwargs.pop("question", "공원에 야간 조명을 설치할까요?"),
        choices=[{"label": label} for label in choices], opens_at=kwargs.pop("opens_at", OPENS),
        closes_at=kwargs.pop("closes_at", CLOSES), eligibility_rule=rule, areas=list(areas), now=kwargs.pop("now", OPENS - timedelta(days=1)),
        **kwargs,
    )
