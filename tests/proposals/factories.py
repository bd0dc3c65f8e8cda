"""Proposals for the proposals, moderation and API tests."""

from __future__ import annotations

from django.contrib.gis.geos import Point

from proposals.models import Proposal
from tests.factories import JONGNO, UserFactory
from tests.polls.factories import area


def make_proposal(*, government: str = "11010", at: tuple[float, float] = JONGNO, **kwargs) -> Proposal:
    kwargs.setdefault("author", UserFactory())
    return Proposal.objects.create(
        local_government=area(government), location=Point(*at, srid=4326),
        title=kwargs.pop("title", "골목길에 가로등을 더 놓아 주세요"), body=kwargs.pop("body", "밤에 너무 어둡습니다."), **kwargs,
    )
