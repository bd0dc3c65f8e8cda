"""Proposals over REST: list and file, detail with its obligations and timeline, supports and comments.

Writes act for a resident (api.authentication): the signed-in person on the site's own pages, or an
app holding their grant for proposals. A support or a comment is always a person's, never an app's.
"""

from __future__ import annotations

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
from api.serializers_proposals import (
    ProposalCommentInputSerializer,
    ProposalCommentSerializer,
    ProposalDetailSerializer,
    ProposalInputSerializer,
    ProposalSerializer,
    ProposalSupportOutputSerializer,
)
from core.errors import DomainError, ErrorCode
from core.parsing import parse_int
from geodata.selectors import local_government_get
from proposals.models import Answer, Proposal, ProposalComment
from proposals.selectors import (
    obligation_status,
    proposal_alternatives,
    proposal_comment_tree,
    proposal_eligibility,
    proposal_get,
    proposal_list,
    proposal_obligations,
    proposal_stance_counts,
    proposal_thresholds,
)
from proposals.services import proposal_comment, proposal_create, proposal_support

ID = OpenApiParameter("proposal_id", int, OpenApiParameter.PATH)
NOT_FOUND = OpenApiResponse(ErrorResponseSerializer, description=_lazy("No such proposal"))
UNAUTHENTICATED = OpenApiResponse(ErrorResponseSerializer, description=_lazy("A bad API key, or the resident's grant missing, invalid or expired"))
MAX_LIMIT = 200


def _proposal(proposal_id) -> Proposal:
    proposal = proposal_get(pk=proposal_id)
    if proposal is None:
        raise DomainError(ErrorCode.NOT_FOUND, _("No such proposal."))
    return proposal


def _row(request, proposal: Proposal) -> dict:
    return {
        "id": proposal.pk, "title": proposal.title,
        "local_government": {"code": proposal.local_government.code, "name": proposal.local_government.name},
        "location": {"lon": proposal.location.x, "lat": proposal.location.y}, "status": proposal.status,
        "support_count": proposal.support_count, "created_at": proposal.created_at, "is_example": proposal.is_example,
        "url": request.build_absolute_uri(reverse("proposals:detail", args=[proposal.pk])),
    }


def _obligations(proposal: Proposal, now) -> list[dict]:
    rows = []
    for row in (obligation_status(obligation=o, now=now) for o in proposal_obligations(proposal=proposal)):
        o = row["obligation"]
        rows.append({
            "level": o.level, "threshold": o.threshold, "created_at": o.created_at, "deadline": o.deadline, "due_at": o.due_at,
            "state": row["state"], "days_left": row["days_left"], "days_overdue": row["days_overdue"], "answered_at": o.closed_at,
        })
    return rows


def _comment(comment: ProposalComment) -> dict:
    return {"id": comment.pk, "parent": comment.parent_id, "depth": comment.depth, "stance": comment.stance, "body": comment.body, "created_at": comment.created_at}


class ProposalListApi(ResidentApiView):
    resident_purpose = Purpose.PROPOSALS

    @extend_schema(
        parameters=[
            OpenApiParameter("government", str, description=_lazy("KOSTAT code of a local government")),
            OpenApiParameter("status", str, enum=Proposal.Status.values),
            OpenApiParameter("limit", int, description=_lazy("at most 200; 50 by default")),
            OpenApiParameter("offset", int),
        ],
        responses={200: ProposalSerializer(many=True), 400: OpenApiResponse(ErrorResponseSerializer)},
        operation_id="proposals_list",
    )
    def get(self, request):
        government = None
        if code := request.query_params.get("government"):
            government = local_government_get(code=code)
            if government is None:
                raise DomainError(ErrorCode.INVALID_LOCAL_GOVERNMENT, _("No local government with this code."), {"government": [code]})
        status_ = request.query_params.get("status") or None
        if status_ is not None and status_ not in Proposal.Status.values:
            raise DomainError(ErrorCode.INVALID_STATUS, _("Unknown status."), {"status": [status_]})
        limit = parse_int("limit", request.query_params.get("limit") or "50", minimum=1, maximum=MAX_LIMIT)
        offset = parse_int("offset", request.query_params.get("offset") or "0", minimum=0, maximum=10_000_000)
        proposals = proposal_list(government=government, status=status_)[offset:offset + limit]
        return Response(ProposalSerializer([_row(request, p) for p in proposals], many=True).data)

    @extend_schema(
        request=ProposalInputSerializer,
        responses={
            201: ProposalSerializer,
            400: OpenApiResponse(ErrorResponseSerializer, description=_lazy("Invalid fields, or a place outside every government")),
            401: UNAUTHENTICATED,
            403: OpenApiResponse(ErrorResponseSerializer, description=_lazy("Not signed in, address not confirmed, or blocked")),
        },
        operation_id="proposals_create",
    )
    def post(self, request):
        serializer = ProposalInputSerializer(data=request.data)
        if not serializer.is_valid():
            raise DomainError(ErrorCode.INVALID_PROPOSAL, _("Please correct the highlighted fields."), fields=serializer.errors)
        data = serializer.validated_data
        proposal = proposal_create(author=request.user, title=data["title"], body=data["body"], lon=data["lon"], lat=data["lat"], report_ids=data["reports"])
        return Response(ProposalSerializer(_row(request, proposal)).data, status=status.HTTP_201_CREATED)


class ProposalDetailApi(APIView):
    @extend_schema(parameters=[ID], responses={200: ProposalDetailSerializer, 404: NOT_FOUND}, operation_id="proposals_retrieve")
    def get(self, request, proposal_id: int):
        now = timezone.now()
        proposal = _proposal(proposal_id)
        body = {
            **_row(request, proposal), "body": proposal.body,
            "reports": list(proposal.reports.public().values_list("pk", flat=True)),
            "eligibility_rule": proposal_eligibility(government=proposal.local_government).rule,
            "thresholds": [vars(t) for t in proposal_thresholds(government=proposal.local_government)],
            "obligations": _obligations(proposal, now),
            "answers": [
                {"kind": a.kind, "text": a.text, "next_date": a.next_date, "policy_title": a.policy_title, "created_at": a.created_at}
                for a in Answer.objects.filter(proposal=proposal)
            ],
            "milestones": [
                {"title": m.title, "due_date": m.due_date, "progress": m.progress, "note": m.note, "updated_at": m.updated_at}
                for m in proposal.milestones.all()
            ],
            "alternatives": [
                {"id": a.pk, "title": a.title, "body": a.body, "created_at": a.created_at} for a in proposal_alternatives(proposal=proposal)
            ],
            "stances": proposal_stance_counts(proposal=proposal),
        }
        return Response(ProposalDetailSerializer(body).data)


class ProposalSupportsApi(ResidentApiView):
    """Support as the signed-in person, or as an app holding their grant."""

    resident_purpose = Purpose.PROPOSALS

    @extend_schema(
        parameters=[ID], request=None,
        responses={
            201: ProposalSupportOutputSerializer,
            401: UNAUTHENTICATED,
            403: OpenApiResponse(ErrorResponseSerializer, description=_lazy("Not signed in, address not confirmed, or not eligible under the government's rule")),
            404: NOT_FOUND,
            409: OpenApiResponse(ErrorResponseSerializer, description=_lazy("Already supported, or the proposal has been answered")),
            429: OpenApiResponse(ErrorResponseSerializer, description=_lazy("Too many supports in an hour")),
        },
        operation_id="proposals_support",
    )
    def post(self, request, proposal_id: int):
        proposal = _proposal(proposal_id)
        proposal_support(proposal=proposal, user=request.user)
        body = {"support_count": proposal.support_count, "obligations": _obligations(proposal, timezone.now())}
        return Response(ProposalSupportOutputSerializer(body).data, status=status.HTTP_201_CREATED)


class ProposalCommentsApi(ResidentApiView):
    resident_purpose = Purpose.PROPOSALS

    @extend_schema(parameters=[ID], responses={200: ProposalCommentSerializer(many=True), 404: NOT_FOUND}, operation_id="proposals_comments_list")
    def get(self, request, proposal_id: int):
        proposal = _proposal(proposal_id)
        flat: list[dict] = []

        def walk(nodes):  # the page's tree, depth first: a hidden comment's replies go with it
            for node in nodes:
                flat.append(_comment(node["comment"]))
                walk(node["replies"])

        walk(proposal_comment_tree(proposal=proposal))
        return Response(ProposalCommentSerializer(flat, many=True).data)

    @extend_schema(
        parameters=[ID], request=ProposalCommentInputSerializer,
        responses={
            201: ProposalCommentSerializer,
            400: OpenApiResponse(ErrorResponseSerializer, description=_lazy("Invalid comment or stance, or a reply deeper than 3 levels")),
            401: UNAUTHENTICATED,
            403: OpenApiResponse(ErrorResponseSerializer, description=_lazy("Not signed in, address not confirmed, or blocked")),
            404: NOT_FOUND,
        },
        operation_id="proposals_comments_create",
    )
    def post(self, request, proposal_id: int):
        proposal = _proposal(proposal_id)
        serializer = ProposalCommentInputSerializer(data=request.data)
        if not serializer.is_valid():
            raise DomainError(ErrorCode.INVALID_COMMENT, _("Write a comment and choose your stance: for, neutral or against."), fields=serializer.errors)
        data = serializer.validated_data
        parent = None
        if data.get("parent"):
            parent = ProposalComment.objects.filter(pk=data["parent"], proposal=proposal).first()
            if parent is None:
                raise DomainError(ErrorCode.INVALID_COMMENT, _("The comment you reply to is not on this proposal."), {"parent": [_("Not found.")]})
        comment = proposal_comment(proposal=proposal, author=request.user, body=data["body"], stance=data["stance"], parent=parent)
        return Response(ProposalCommentSerializer(_comment(comment)).data, status=status.HTTP_201_CREATED)
