"""REST endpoints for reports, categories, comments and supports: thin adapters over the reports services."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api.parsers import JSONParser
from api.serializers import ErrorResponseSerializer
from api.serializers_reports import (
    CategoryOutputSerializer,
    CommentCreateInputSerializer,
    CommentOutputSerializer,
    ReportCreatedOutputSerializer,
    ReportCreateInputSerializer,
    ReportCreateMultipartInputSerializer,
    ReportListInputSerializer,
    ReportOutputSerializer,
    ReportPageOutputSerializer,
    SupportCreateInputSerializer,
    SupportOutputSerializer,
)
from clients.authentication import ApiKeyAuthentication, ApiKeyRateThrottle, ReadOrSubmitKey
from clients.idempotency import run_idempotent
from core.errors import DomainError, ErrorCode
from core.parsing import parse_id
from reports.models import Category, Channel, Question
from reports.selectors import (
    category_get_active,
    category_list,
    report_details_load,
    report_filters_parse,
    report_get_public,
    report_list,
    report_with_details,
)
from reports.services import report_create, report_support
from reports.services_comments import comment_create, comment_list_public


def errors(*codes: int) -> dict:
    descriptions = {
        400: _("Invalid input"),
        401: _("Missing, unknown, revoked or expired API key"),
        403: _("The API key lacks the needed scope"),
        404: _("Not found"),
        409: _("A request with this Idempotency-Key is still in progress"),
        415: _("Unsupported content type"),
        422: _("The Idempotency-Key was used with a different request"),
        429: _("Rate limit exceeded; see Retry-After"),
    }
    return {code: OpenApiResponse(ErrorResponseSerializer, description=descriptions[code]) for code in codes}


IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
    description="Retrying with the same key and body replays the first response; another body gets 422.",
)


class KeyedAutoSchema(AutoSchema):
    def get_auth(self):
        auths = super().get_auth()
        if self.method in SAFE_METHODS and {} not in auths:
            auths.append({})  # reads need no key
        return auths


class KeyedApiView(APIView):
    """Reads are public; writes need an API key with the submit scope. Keys are rate limited."""

    schema = KeyedAutoSchema()
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [ReadOrSubmitKey]
    throttle_classes = [ApiKeyRateThrottle]


REPORT_ID = OpenApiParameter("report_id", int, OpenApiParameter.PATH, description="the report id (Open311 service_request_id)")


def get_public_report(report_id: str):
    report_pk = parse_id(report_id)
    report = report_get_public(report_id=report_pk) if report_pk is not None else None
    if report is None:
        raise DomainError(ErrorCode.NOT_FOUND, _("No report %(id)s.") % {"id": report_id})
    return report


def validated(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ReportPagination(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ReportListCreateApi(KeyedApiView):
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        operation_id="reports_list",
        parameters=[ReportListInputSerializer],
        responses={200: ReportPageOutputSerializer, **errors(400, 401, 404, 429)},
    )
    def get(self, request):
        filters = report_filters_parse(request.query_params)
        validated(ReportListInputSerializer, {k: v for k, v in request.query_params.items() if k == "page_size"})
        paginator = ReportPagination()
        page = paginator.paginate_queryset(report_with_details(report_list(filters=filters)), request, view=self)
        data = ReportOutputSerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        operation_id="reports_create",
        request={"application/json": ReportCreateInputSerializer, "multipart/form-data": ReportCreateMultipartInputSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        responses={201: ReportCreatedOutputSerializer, **errors(400, 401, 403, 409, 415, 422, 429)},
    )
    def post(self, request):
        payload = self._payload(request)
        data = validated(ReportCreateInputSerializer, payload)
        photos = request.FILES.getlist("photos") if request.content_type.startswith("multipart/") else []
        client = request.auth.client

        def create() -> HttpResponse:
            category = category_get_active(code=data["category"])
            if category is None:
                raise DomainError(ErrorCode.UNKNOWN_CATEGORY, _("No active category %(code)s.") % {"code": data["category"]},
                                  fields={"category": [_("Unknown category.")]})
            report = report_create(
                category=category, lon=data["lon"], lat=data["lat"], description=data["description"],
                answers=data["answers"], photos=photos, reporter_email=data["email"], reporter_name=data["name"],
                reporter_phone=data["phone"], show_name=data["show_name"], media_url=data["media_url"],
                device_id=data["device_id"], account_id=data["account_id"], channel=Channel.API, api_client=client,
            )
            body = ReportCreatedOutputSerializer(report_details_load(report, has_photos=bool(photos)), context={"request": request}).data
            return HttpResponse(JSONRenderer().render(body), status=201, content_type="application/json")

        return run_idempotent(request=request, client=client, payload=payload, handler=create)

    @staticmethod
    def _payload(request) -> dict:
        """The body as plain data (multipart fields come as strings; a repeated field as its last value)."""
        if hasattr(request.data, "dict"):
            return {key: value for key, value in request.data.dict().items() if key != "photos"}
        if not isinstance(request.data, dict):
            raise DomainError(ErrorCode.INVALID, _("The body must be a JSON object."))
        return request.data


class ReportDetailApi(KeyedApiView):
    @extend_schema(operation_id="reports_retrieve", parameters=[REPORT_ID], responses={200: ReportOutputSerializer, **errors(401, 404, 429)})
    def get(self, request, report_id: str):
        report = get_public_report(report_id)
        show_reporter = request.auth is not None and request.auth.sees_reporter_of(report)
        return Response(ReportOutputSerializer(report, context={"request": request, "show_reporter": show_reporter}).data)


class CategoryListApi(KeyedApiView):
    @extend_schema(operation_id="categories_list", responses={200: CategoryOutputSerializer(many=True), **errors(401, 429)})
    def get(self, request):
        return Response(CategoryOutputSerializer(category_list(), many=True).data)


class CategoryDetailApi(KeyedApiView):
    @extend_schema(operation_id="categories_retrieve", responses={200: CategoryOutputSerializer, **errors(401, 404, 429)})
    def get(self, request, code: str):
        category = (
            Category.objects.filter(code=code, is_active=True)
            .select_related("local_government")
            .prefetch_related(Prefetch("questions", queryset=Question.objects.order_by("order", "id")))
            .first()
        )
        if category is None:
            raise DomainError(ErrorCode.NOT_FOUND, _("No category %(code)s.") % {"code": code})
        return Response(CategoryOutputSerializer(category).data)


class ReportCommentsApi(KeyedApiView):
    @extend_schema(operation_id="reports_comments_list", parameters=[REPORT_ID], responses={200: CommentOutputSerializer(many=True), **errors(401, 404, 429)})
    def get(self, request, report_id: str):
        report = get_public_report(report_id)
        return Response(CommentOutputSerializer(comment_list_public(report=report), many=True).data)

    @extend_schema(
        operation_id="reports_comments_create",
        parameters=[REPORT_ID],
        request=CommentCreateInputSerializer,
        responses={201: CommentOutputSerializer, **errors(400, 401, 403, 404, 415, 429)},
    )
    def post(self, request, report_id: str):
        report = get_public_report(report_id)
        data = validated(CommentCreateInputSerializer, request.data)
        comment = comment_create(
            report=report, text=data["text"], author_email=data["email"], author_name=data["name"], show_name=data["show_name"]
        )
        return Response(CommentOutputSerializer(comment).data, status=status.HTTP_201_CREATED)


class ReportSupportApi(KeyedApiView):
    @extend_schema(
        operation_id="reports_support",
        parameters=[REPORT_ID],
        request=SupportCreateInputSerializer,
        responses={201: SupportOutputSerializer, 200: SupportOutputSerializer, **errors(400, 401, 403, 404, 415, 429)},
    )
    def post(self, request, report_id: str):
        report = get_public_report(report_id)
        data = validated(SupportCreateInputSerializer, request.data)
        # The key's client vouches for its users, as it does for their reports.
        added = report_support(report=report, email=data["email"], api_client=request.auth.client)
        body = SupportOutputSerializer({"supported": added, "support_count": report.support_count}).data
        return Response(body, status=status.HTTP_201_CREATED if added else status.HTTP_200_OK)
