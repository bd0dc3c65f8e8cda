"""Scorecards of the local governments: precomputed rows, read as they are."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers import ErrorResponseSerializer
from api.serializers_scorecards import ScorecardDetailSerializer, ScorecardListInputSerializer, ScorecardSerializer
from api.views_areas import validated
from core.errors import DomainError, ErrorCode
from scorecards.selectors import scorecard_get, scorecard_list, scorecard_row

INVALID = OpenApiResponse(ErrorResponseSerializer, description=_lazy("Missing or invalid parameter"))
NOT_FOUND = OpenApiResponse(ErrorResponseSerializer, description=_lazy("No scorecard for this code"))


class ScorecardListApi(APIView):
    """Every current local government's scorecard (243 with the 2018 boundaries)."""

    @extend_schema(
        parameters=[ScorecardListInputSerializer],
        responses={200: ScorecardSerializer(many=True), 400: INVALID},
        operation_id="scorecards_list",
    )
    def get(self, request):
        filters = validated(ScorecardListInputSerializer, request.query_params)
        rows = [scorecard_row(card) for card in scorecard_list(**filters)]
        return Response(ScorecardSerializer(rows, many=True).data)


class ScorecardDetailApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH)],
        responses={200: ScorecardDetailSerializer, 404: NOT_FOUND},
        operation_id="scorecards_retrieve",
    )
    def get(self, request, code: str):
        card = scorecard_get(code=code)
        if card is None:
            raise DomainError(ErrorCode.NOT_FOUND, _("No local government's scorecard with code %(code)s.") % {"code": code})
        return Response(ScorecardDetailSerializer(scorecard_row(card, detail=True)).data)
