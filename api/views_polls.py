"""Polls over REST: list, detail with results once visible, voting (for a resident), the ballot log."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.grants import Purpose
from api.authentication import ResidentApiView
from api.serializers import ErrorResponseSerializer
from api.serializers_polls import PollDetailSerializer, PollSerializer, VoteInputSerializer, VoteOutputSerializer
from core.errors import DomainError, ErrorCode
from core.parsing import parse_id
from polls.selectors import (
    poll_get,
    poll_list,
    poll_log_text,
    poll_results_by_area,
    poll_results_visible,
    poll_status,
    poll_tally,
    poll_voter_count,
)
from polls.services import poll_publish_if_due, poll_vote

ID = OpenApiParameter("poll_id", int, OpenApiParameter.PATH)
NOT_FOUND = OpenApiResponse(ErrorResponseSerializer, description=_lazy("No such poll"))


def _row(poll, now) -> dict:
    return {
        "id": poll.pk, "question": poll.question,
        "local_government": {"code": poll.local_government.code, "name": poll.local_government.name},
        "opens_at": poll.opens_at, "closes_at": poll.closes_at, "status": poll_status(poll=poll, now=now),
        "eligibility_rule": poll.eligibility_rule, "areas": [area.code for area in poll.areas.all()],
        "multiple": poll.multiple, "interim_results": poll.interim_results, "is_example": poll.is_example,
        "voters": poll.voters if hasattr(poll, "voters") else poll_voter_count(poll=poll),
    }


def _tally(counts: dict[int, int]) -> list[dict]:
    return [{"number": n, "votes": c} for n, c in sorted(counts.items())]


def _id(poll_id: str) -> int:
    number = parse_id(poll_id)
    if number is None:
        raise DomainError(ErrorCode.NOT_FOUND, _("No such poll."))
    return number


def _poll(poll_id: str, now):
    poll_id = _id(poll_id)
    poll = poll_get(poll_id=poll_id)
    if poll.log_published_at is None and poll.is_closed(now):
        poll_publish_if_due(poll=poll, now=now)
        poll = poll_get(poll_id=poll_id)
    return poll


class PollListApi(APIView):
    @extend_schema(responses={200: PollSerializer(many=True)}, operation_id="polls_list")
    def get(self, request):
        now = timezone.now()
        polls = poll_list(now=now)
        return Response(PollSerializer([_row(poll, now) for poll in polls], many=True).data)


class PollDetailApi(APIView):
    @extend_schema(parameters=[ID], responses={200: PollDetailSerializer, 404: NOT_FOUND}, operation_id="polls_retrieve")
    def get(self, request, poll_id: str):
        now = timezone.now()
        poll = _poll(poll_id, now)
        results = None
        if poll_results_visible(poll=poll, now=now):
            results = {
                "tally": _tally(poll_tally(poll=poll)),
                "by_area": [
                    {"area": {"code": r.code, "name": r.name, "name_en": r.name_en} if r.area_id else None,
                     "level": r.level, "ballots": r.ballots, "tally": _tally(r.tally)}
                    for r in poll_results_by_area(poll=poll)
                ],
            }
        body = {
            **_row(poll, now), "description": poll.description, "results": results,
            "choices": [
                {"number": c.number, "label": c.label,
                 "image_url": request.build_absolute_uri(reverse("polls:choice-image", args=[poll.pk, c.number])) if c.image else None,
                 "location": {"lon": c.location.x, "lat": c.location.y} if c.location else None}
                for c in poll.choices.all()
            ],
            "log": {"published": poll.log_published_at is not None, "head": poll.log_head,
                    "url": request.build_absolute_uri(reverse("api:poll-ballots", args=[poll.pk]))},
        }
        return Response(PollDetailSerializer(body).data)


class PollVoteApi(ResidentApiView):
    """Vote as the signed-in person, or as an app holding their grant (api.authentication)."""

    resident_purpose = Purpose.POLL_VOTES

    @extend_schema(
        parameters=[ID], request=VoteInputSerializer,
        responses={
            201: VoteOutputSerializer,
            400: OpenApiResponse(ErrorResponseSerializer, description=_lazy("Invalid choices")),
            401: OpenApiResponse(ErrorResponseSerializer, description=_lazy("A bad API key, or the resident's grant missing, invalid or expired")),
            403: OpenApiResponse(ErrorResponseSerializer, description=_lazy("Not signed in, address not confirmed, not eligible, or a grant without this purpose")),
            404: NOT_FOUND,
            409: OpenApiResponse(ErrorResponseSerializer, description=_lazy("Already voted, not voted yet (change), or outside the poll's window")),
            429: OpenApiResponse(ErrorResponseSerializer, description=_lazy("Rate limit exceeded; see Retry-After")),
        },
        operation_id="polls_vote",
    )
    def post(self, request, poll_id: str):
        poll = poll_get(poll_id=_id(poll_id))
        serializer = VoteInputSerializer(data=request.data)
        if not serializer.is_valid():
            raise DomainError(ErrorCode.INVALID_CHOICE, _("Choose one of the poll's choices."), fields=serializer.errors)
        receipt = poll_vote(poll=poll, user=request.user, choices=serializer.validated_data["choices"], change=serializer.validated_data["change"])
        return Response({"receipt": receipt}, status=status.HTTP_201_CREATED)


class PollBallotsApi(APIView):
    @extend_schema(
        parameters=[ID],
        responses={
            (200, "application/jsonl"): OpenApiResponse(
                str, description=_lazy('One JSON object a line: {"seq", "choice", "receipt", "prev", "hash"}; hash = SHA-256(prev + canonical JSON of seq, choice, receipt)'),
            ),
            404: NOT_FOUND,
            409: OpenApiResponse(ErrorResponseSerializer, description=_lazy("The poll has not closed yet")),
        },
        operation_id="polls_ballots",
    )
    def get(self, request, poll_id: str):
        poll = _poll(poll_id, timezone.now())
        text = poll_log_text(poll=poll)
        response = HttpResponse(text.encode(), content_type="application/jsonl; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="poll-{poll.pk}-ballots.jsonl"'
        return response
