import json

from django.db import connection
from django.http import HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers import (
    AreaDetailInputSerializer,
    AreaListInputSerializer,
    AreaOutputSerializer,
    ErrorResponseSerializer,
    LookupInputSerializer,
    LookupOutputSerializer,
)
from core.errors import DomainError, ErrorCode, error_body
from geodata.selectors import area_code_today, area_geojson_sql, area_get, area_list, route_point

INVALID = OpenApiResponse(ErrorResponseSerializer, description=_lazy("Missing or invalid parameter"))
NOT_FOUND = OpenApiResponse(ErrorResponseSerializer, description=_lazy("No such area"))
OUTSIDE = OpenApiResponse(ErrorResponseSerializer, description=_lazy("The point is outside the service area"))


def validated(serializer_class, data):
    """Validate query parameters, turning failures into the API's 400 error shape."""
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        first_field, messages = next(iter(serializer.errors.items()))
        raise DomainError(ErrorCode.INVALID_PARAMETER, f"{first_field}: {messages[0]}", fields=serializer.errors)
    return serializer.validated_data


class AreaLookupApi(APIView):
    """Which province, local government, municipal unit and 읍면동 a WGS84 point lies in."""

    @extend_schema(
        parameters=[LookupInputSerializer],
        responses={200: LookupOutputSerializer, 400: INVALID, 404: OUTSIDE},
        operation_id="areas_lookup",
    )
    def get(self, request):
        missing = [name for name in ("lat", "lon") if name not in request.query_params]
        if missing:
            raise DomainError(ErrorCode.MISSING_PARAMETER, _("Give both lat and lon (WGS84 decimal degrees)."))
        point = validated(LookupInputSerializer, request.query_params)
        route = route_point(lon=point["lon"], lat=point["lat"])
        if route is None:
            # A lookup that finds nothing is a 404 here; filing a report there is a 400 (a bad request).
            outside = DomainError(
                ErrorCode.OUTSIDE_SERVICE_AREA, _("This point is outside the service area: it lies in no Korean local government.")
            )
            return Response(error_body(outside), status=status.HTTP_404_NOT_FOUND)
        return Response(
            LookupOutputSerializer(
                {
                    "province": route.province.as_dict(),
                    "local_government": route.local_government.as_dict(),
                    "municipal_unit": route.municipal_unit.as_dict(),
                    "submunicipal_unit": route.submunicipal_unit.as_dict() if route.submunicipal_unit else None,
                    "address": route.address,
                }
            ).data
        )


class AreaListApi(APIView):
    class Pagination(LimitOffsetPagination):
        default_limit = 300
        max_limit = 5000

    pagination_class = Pagination  # also tells the schema that the list is paginated

    @extend_schema(
        parameters=[AreaListInputSerializer],
        responses={200: AreaOutputSerializer(many=True), 400: INVALID},
        operation_id="areas_list",
    )
    def get(self, request):
        filters = validated(AreaListInputSerializer, request.query_params)
        areas = area_list(
            level=filters.get("level"),
            parent_code=filters.get("parent"),
            local_governments_only=filters.get("local_government", False),
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(areas, request, view=self)
        return paginator.get_paginated_response(AreaOutputSerializer(page, many=True).data)


class AreaDetailApi(APIView):
    @extend_schema(
        parameters=[AreaDetailInputSerializer, OpenApiParameter("code", str, OpenApiParameter.PATH)],
        responses={
            200: inline_serializer(
                "AreaDetail",
                {
                    "type": serializers.CharField(),
                    "id": serializers.CharField(),
                    "properties": AreaOutputSerializer(),
                    "geometry": serializers.JSONField(),
                },
            ),
            400: INVALID,
            404: NOT_FOUND,
        },
        operation_id="areas_retrieve",
    )
    def get(self, request, code: str):
        options = validated(AreaDetailInputSerializer, request.query_params)
        area = area_get(code=code)
        if area is None and (today := area_code_today(code=code)):
            # A government whose code changed answers at its old one, for good.
            url = reverse("api:area-detail", kwargs={"code": today})
            query = request.META.get("QUERY_STRING")
            return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
        if area is None:
            raise DomainError(ErrorCode.NOT_FOUND, _("No area with code %(code)s.") % {"code": code})
        tolerance = options.get("simplify") or 0
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {area_geojson_sql('geom', tolerance)} FROM geodata_area WHERE id = %s", [area.pk])
            geometry = json.loads(cursor.fetchone()[0])
        return Response(
            {"type": "Feature", "id": area.code, "properties": AreaOutputSerializer(area).data, "geometry": geometry}
        )
