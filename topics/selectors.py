"""Reads of the opinion map: topics, the statements a person sees next, their own votes, results."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from core.errors import DomainError, ErrorCode
from residency.hashing import keyed_hash
from topics.models import Statement, Topic, TopicResult, Vote


def participant_key(*, topic: Topic, identity: str) -> str:
    """The only link between a person and their votes: a keyed hash of topic and identity."""
    return keyed_hash("topic-vote", f"{topic.pk}:{identity}")


def topic_list() -> QuerySet[Topic]:
    return Topic.objects.select_related("local_government", "proposal").annotate(
        statement_count=Count("statements", filter=Q(statements__status=Statement.Status.SHOWN, statements__is_hidden=False)),
    )


def topic_get(*, topic_id) -> Topic:
    try:
        return Topic.objects.select_related("local_government", "proposal").get(pk=int(topic_id))
    except (Topic.DoesNotExist, TypeError, ValueError) as exc:
        raise DomainError(ErrorCode.NOT_FOUND, _("No such topic.")) from exc


def statement_get(*, topic: Topic, statement_id) -> Statement:
    try:
        return Statement.objects.select_related("topic").get(pk=int(statement_id), topic=topic)
    except (Statement.DoesNotExist, TypeError, ValueError) as exc:
        raise DomainError(ErrorCode.NOT_FOUND, _("No such statement in this topic.")) from exc


def statements_shown(*, topic: Topic) -> QuerySet[Statement]:
    """What everyone sees and votes on: shown by a moderator and not hidden since."""
    return Statement.objects.filter(topic=topic, status=Statement.Status.SHOWN, is_hidden=False).annotate(
        vote_count=Count("votes"),
        agree_count=Count("votes", filter=Q(votes__value=Vote.Value.AGREE)),
        disagree_count=Count("votes", filter=Q(votes__value=Vote.Value.DISAGREE)),
        pass_count=Count("votes", filter=Q(votes__value=Vote.Value.PASS)),
    ).order_by("id")


def statements_pending(*, topic: Topic) -> QuerySet[Statement]:
    return Statement.objects.filter(topic=topic, status=Statement.Status.PENDING, is_hidden=False).order_by("created_at", "id")


def statement_next(*, topic: Topic, key: str | None) -> Statement | None:
    """The fair order: of the statements this person has not voted on, the least voted first,
    the oldest first among equals (a deterministic tie-break), so new statements catch up."""
    statements = statements_shown(topic=topic)
    if key:
        statements = statements.exclude(votes__participant_key=key)
    return statements.order_by("vote_count", "id").first()


def votes_of(*, topic: Topic, key: str | None) -> dict[int, int]:
    if not key:
        return {}
    return dict(Vote.objects.filter(topic=topic, participant_key=key).values_list("statement_id", "value"))


def topic_result(*, topic: Topic) -> TopicResult | None:
    return TopicResult.objects.filter(topic=topic).first()


def topic_voter_count(*, topic: Topic) -> int:
    return Vote.objects.filter(topic=topic).values("participant_key").distinct().count()
