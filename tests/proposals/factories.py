"""Proposals for the proposals, moderation and API tests, filed through the services like every channel."""

from __future__ import annotations

from datetime import timedelta

from proposals.models import Proposal
from proposals.services import proposal_create, proposal_settings_set
from staff.models import StaffRole
from tests.factories import JONGNO, UserFactory
from tests.polls.factories import NOW, area, dong, resident


def make_proposal(*, government: str | None = None, at: tuple[float, float] = JONGNO, **kwargs) -> Proposal:
    return proposal_create(
        author=kwargs.pop("author", None) or UserFactory(), government=area(government) if government else None,
        lon=at[0], lat=at[1], title=kwargs.pop("title", "골목길에 가로등을 더 놓아 주세요"),
        body=kwargs.pop("body", "밤에 너무 어둡습니다."), now=kwargs.pop("now", NOW - timedelta(days=1)), **kwargs,
    )


def staff_member(code: str = "11010", role: str = StaffRole.Role.STAFF, **kwargs):
    user = UserFactory(**kwargs)
    StaffRole.objects.create(user=user, local_government=area(code), role=role)
    return user


def jongno_resident(**kwargs):
    return resident(dong("청운효자동"), **kwargs)


def small_thresholds(code: str = "11010", *, department=(2, 30), forum=(3, 60), head=(5, 30), rule: str = "residents"):
    """Thresholds a test reaches with a few residents, set by the government's administrator."""
    return proposal_settings_set(
        actor=staff_member(code, StaffRole.Role.ADMINISTRATOR), government=area(code), eligibility_rule=rule,
        department_supports=department[0], department_days=department[1], forum_supports=forum[0], forum_days=forum[1],
        head_supports=head[0], head_days=head[1],
    )
