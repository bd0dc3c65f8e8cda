"""Topics over REST: list, detail with the opinion map, statements (list, write), votes (for a resident, api.authentication)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.grants import Purpose
from api.authentication import ResidentApiView
from api.serializers import ErrorResponseSerializer
from api.serializers_topics import (
    StatementCreatedSerializer,
    StatementInputSerializer,
    StatementSerializer,
    TopicDetailSerializer,
    TopicSerializer,
    TopicVoteInputSerializer,
    TopicVoteOutputSerializer,
)
from core.errors import DomainError, ErrorCode
from residency.eligibility import eligibility_check
from topics.selectors import (
    participant_key,
    statement_get,
    statements_shown,
    topic_get,
    topic_list,
    topic_result,
    votes_of,
)
from topics.services import statement_submit, statement_vote

TOPIC_ID = OpenApiParameter("topic_id", int, OpenApiParameter.PATH)
STATEMENT_ID = OpenApiParameter("statement_id", int, OpenApiParameter.PATH)
NOT_FOUND = OpenApiResponse(ErrorResponseSerializer, description=_lazy("No such topic or statement"))
UNAUTHENTICATED = OpenApiResponse(ErrorResponseSerializer, description=_lazy("A bad API key, or the resident's grant missing, invalid or expired"))
REFUSED = OpenApiResponse(ErrorResponseSerializer, description=_lazy("Not signed in, address not confirmed, not eligible, or blocked"))
VOTE_NAMES = {1: "agree", 0: "pass", -1: "disagree"}


def _row(topic, statement_count: int) -> dict:
    return {
        "id": topic.pk, "title": topic.title,
        "local_government": {"code": topic.local_government.code, "name": topic.local_government.name},
        "proposal": topic.proposal_id, "eligibility_rule": topic.eligibility_rule,
        "areas": [area.code for area in topic.areas.all()], "is_open": topic.is_open, "is_example": topic.is_example,
        "statements": statement_count, "created_at": topic.created_at,
    }


def _opinion_map(topic) -> dict | None:
    result = topic_result(topic=topic)
    if result is None:
        return None
    return {
        "computed_at": result.computed_at, "voters": result.voters, "participants": result.participants,
        "positions": result.positions,
        "groups": [
            {"number": n + 1, "size": g["size"], "representative": g["representative"],
             "votes": [{"statement": int(sid), "agree": a, "disagree": d, "seen": s} for sid, (a, d, s) in sorted(g["votes"].items(), key=lambda i: int(i[0]))]}
            for n, g in enumerate(result.groups)
        ],
        "consensus": [{"statement": int(sid), "consensus": score} for sid, score in sorted(result.consensus.items(), key=lambda i: int(i[0]))],
        "common_ground": result.common_ground,
    }


class TopicListApi(APIView):
    @extend_schema(responses={200: TopicSerializer(many=True)}, operation_id="topics_list")
    def get(self, request):
        topics = topic_list().prefetch_related("areas")
        return Response(TopicSerializer([_row(topic, topic.statement_count) for topic in topics], many=True).data)


class TopicDetailApi(APIView):
    @extend_schema(parameters=[TOPIC_ID], responses={200: TopicDetailSerializer, 404: NOT_FOUND}, operation_id="topics_retrieve")
    def get(self, request, topic_id: int):
        topic = topic_get(topic_id=topic_id)
        body = {**_row(topic, statements_shown(topic=topic).count()), "description": topic.description, "opinion_map": _opinion_map(topic)}
        return Response(TopicDetailSerializer(body).data)


class TopicStatementsApi(ResidentApiView):
    """Shown statements with their counts; writing one is a resident's."""

    resident_purpose = Purpose.TOPICS

    @extend_schema(parameters=[TOPIC_ID], responses={200: StatementSerializer(many=True), 404: NOT_FOUND}, operation_id="topics_statements_list")
    def get(self, request, topic_id: int):
        topic = topic_get(topic_id=topic_id)
        mine: dict[int, int] = {}
        if request.user.is_authenticated:
            try:
                identity = eligibility_check(eligibility=topic.eligibility(), user=request.user).identity
                mine = votes_of(topic=topic, key=participant_key(topic=topic, identity=identity))
            except DomainError:
                pass
        rows = [
            {"id": s.pk, "text": s.text, "agree": s.agree_count, "disagree": s.disagree_count, "passed": s.pass_count,
             "your_vote": VOTE_NAMES.get(mine[s.pk]) if s.pk in mine else None}
            for s in statements_shown(topic=topic)
        ]
        return Response(StatementSerializer(rows, many=True).data)

    @extend_schema(
        parameters=[TOPIC_ID], request=StatementInputSerializer,
        responses={
            201: StatementCreatedSerializer,
            400: OpenApiResponse(ErrorResponseSerializer, description=_lazy("Blank, too long (over 140 characters) or repeated")),
            401: UNAUTHENTICATED, 403: REFUSED, 404: NOT_FOUND,
            409: OpenApiResponse(ErrorResponseSerializer, description=_lazy("The topic is closed")),
        },
        operation_id="topics_statements_create",
    )
    def post(self, request, topic_id: int):
        topic = topic_get(topic_id=topic_id)
        serializer = StatementInputSerializer(data=request.data)
        if not serializer.is_valid():
            raise DomainError(ErrorCode.INVALID_STATEMENT, _("Write a statement."), fields=serializer.errors)
        statement = statement_submit(topic=topic, user=request.user, text=serializer.validated_data["text"])
        return Response({"id": statement.pk, "text": statement.text, "moderation": statement.status}, status=status.HTTP_201_CREATED)


class TopicVoteApi(ResidentApiView):
    """Agree, disagree or pass on a statement; voting again changes the vote."""

    resident_purpose = Purpose.TOPICS

    @extend_schema(
        parameters=[TOPIC_ID, STATEMENT_ID], request=TopicVoteInputSerializer,
        responses={
            200: TopicVoteOutputSerializer,
            400: OpenApiResponse(ErrorResponseSerializer, description=_lazy("Not agree, disagree or pass")),
            401: UNAUTHENTICATED, 403: REFUSED, 404: NOT_FOUND,
            409: OpenApiResponse(ErrorResponseSerializer, description=_lazy("The statement is not shown (pending, rejected, hidden) or the topic is closed")),
        },
        operation_id="topics_vote",
    )
    def post(self, request, topic_id: int, statement_id: int):
        topic = topic_get(topic_id=topic_id)
        statement = statement_get(topic=topic, statement_id=statement_id)
        serializer = TopicVoteInputSerializer(data=request.data)
        if not serializer.is_valid():
            raise DomainError(ErrorCode.INVALID_VOTE, _("Vote agree, disagree or pass."), fields=serializer.errors)
        vote = statement_vote(statement=statement, user=request.user, vote=serializer.validated_data["vote"])
        return Response({"statement": statement.pk, "vote": VOTE_NAMES[vote.value]})
