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

from api.errors import ApiError
from api.serializers import (
    AreaDetailInputSerializer,
    AreaListInputSerializer,
    AreaOutputSerializer,
    ErrorResponseSerializer,
    LookupInputSerializer,
    LookupOutputSerializer,
)
from geodata.selectors import area_code_today, area_get, area_list, route_point

INVALID = OpenApiResponse(ErrorResponseSerializer, description=_lazy("Missing or invalid parameter"))
NOT_FOUND = OpenApiResponse(ErrorResponseSerializer, description=_lazy("No such area"))
OUTSIDE = OpenApiResponse(ErrorResponseSerializer, description=_lazy("The point is outside the service area"))


def validated(serializer_class, data):
    """Validate query parameters, turning failures into the API's 400 error shape."""
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        first_field, messages = next(iter(serializer.errors.items()))
        raise ApiError("invalid_parameter", f"{first_field}: {messages[0]}", fields=serializer.errors)
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
            raise ApiError("missing_parameter", _("Give both lat and lon (WGS84 decimal degrees)."))
        point = validated(LookupInputSerializer, request.query_params)
        route = route_point(lon=point["lon"], lat=point["lat"])
        if route is None:
            raise ApiError(
                "outside_service_area",
                _("This point is outside the service area: it lies in no Korean local government."),
                http_status=status.HTTP_404_NOT_FOUND,
            )
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
            raise ApiError("not_found", _("No area with code %(code)s.") % {"code": code}, status.HTTP_404_NOT_FOUND)
        tolerance = options.get("simplify") or 0
        with connection.cursor() as cursor:
            # GeoJSON is built by PostGIS; RFC 7946 wants counter-clockwise exteriors and 6 decimals.
            # Simplifying a one-part MultiPolygon yields a Polygon: keep the type stable.
            cursor.execute(
                "SELECT ST_AsGeoJSON(ST_ForcePolygonCCW(CASE WHEN %s > 0 THEN ST_Multi(ST_SimplifyPreserveTopology(geom, %s))"
                " ELSE geom END), 6) FROM geodata_area WHERE id = %s",
                [tolerance, tolerance, area.pk],
            )
            geometry = json.loads(cursor.fetchone()[0])
        return Response(
            {"type": "Feature", "id": area.code, "properties": AreaOutputSerializer(area).data, "geometry": geometry}
        )
