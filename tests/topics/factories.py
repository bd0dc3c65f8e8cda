"""Topics, staff and votes for the topics tests, through the services like every channel."""

from __future__ import annotations

from staff.models import StaffRole
from tests.factories import UserFactory
from tests.polls.factories import area, dong, resident  # noqa: F401 (re-exported for the topics tests)
from topics.models import Statement
from topics.services import statement_moderate, statement_submit, statement_vote, topic_open


def officer(role: str = StaffRole.Role.STAFF, government: str = "11010", **kwargs):
    user = UserFactory(**kwargs)
    StaffRole.objects.create(user=user, local_government=area(government), role=role)
    return user


def make_topic(*, statements=("버스 노선을 늘려야 한다", "주차장을 더 지어야 한다"), government: str = "11010", **kwargs):
    return topic_open(
        actor=kwargs.pop("actor", None), government=area(government), title=kwargs.pop("title", "우리 동네 교통, 무엇부터?"),
        statements=list(statements), **kwargs,
    )


def shown_statement(topic, text: str, *, author=None, moderator=None) -> Statement:
    statement = statement_submit(topic=topic, user=author or resident(), text=text)
    return statement_moderate(actor=moderator or officer(StaffRole.Role.MODERATOR), statement=statement, decision="show")


def vote_all(topic, user, values: dict[int, str]) -> None:
    for statement in Statement.objects.filter(pk__in=values):
        statement_vote(statement=statement, user=user, vote=values[statement.pk])
