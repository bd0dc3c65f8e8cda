"""REST endpoints of standard models: the catalogue, a model, its document and JSON Schema, adopt
(a staff-scoped key of the adopting government) and import (a staff-scoped key)."""

from __future__ import annotations

import json

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from api.parsers import JSONParser
from api.serializers_models import (
    AdoptInputSerializer,
    AdoptionSerializer,
    ImportOutputSerializer,
    ModelDetailSerializer,
    ModelListInputSerializer,
    ModelSerializer,
)
from api.views_areas import validated
from api.views_reports import KeyedApiView, errors
from clients.models import ApiKey, Scope
from core.errors import DomainError, ErrorCode
from geodata.selectors import local_government_get
from standard_models.documents import document_json_schema
from standard_models.models import Adoption, StandardModel
from standard_models.selectors import (
    adoption_figures,
    model_adoptions,
    model_catalogue,
    model_evidence_tier,
    model_get,
    model_latest_version,
    model_version_get,
)
from standard_models.services import model_adopt, model_export, model_import

SLUG = OpenApiParameter("slug", str, OpenApiParameter.PATH, description="the model's slug")


class StaffKeyForWrites(permissions.BasePermission):
    """Anyone reads; adopting and importing need a staff-scoped key of a local government."""

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        if not isinstance(request.auth, ApiKey):
            raise exceptions.NotAuthenticated(_("This needs an API key (Authorization: Bearer <key> or X-Api-Key)."))
        if not request.auth.has_scope(Scope.STAFF) or request.auth.client.local_government_id is None:
            raise exceptions.PermissionDenied(detail=_("This needs a staff-scoped API key of a local government."), code="api_key_scope")
        return True


class ModelApiView(KeyedApiView):
    permission_classes = [StaffKeyForWrites]


def _ref(area) -> dict:
    return {"code": area.code, "name": area.name, "name_en": area.name_en}


def model_row(model: StandardModel) -> dict:
    latest = model_latest_version(model=model)
    return {
        "id": model.pk, "slug": model.slug, "title": model.title, "summary": model.summary, "theme": model.theme,
        "origin_government": _ref(model.origin_government), "licence": model.licence, "version": latest.number if latest else 0,
        "evidence_tier": model_evidence_tier(model=model), "adopters": model.adoptions.count(), "is_example": model.is_example,
        "url": reverse("standard_models:detail", args=[model.slug]),
    }


def adoption_row(adoption: Adoption) -> dict:
    campaign = adoption.campaign
    return {
        "id": adoption.pk, "model": adoption.model.slug, "version": adoption.version.number, "government": _ref(adoption.government),
        "starts_on": adoption.starts_on, "created_at": adoption.created_at,
        "campaign": {"slug": campaign.slug, "title": campaign.title, "url": reverse("campaigns:detail", args=[campaign.slug])} if campaign else None,
        "categories": [{"code": a.category.code, "model_code": a.model_code} for a in adoption.adopted_categories.all()],
        "changes": adoption.changes,
    }


def _model_or_404(slug: str) -> StandardModel:
    model = model_get(slug=slug)
    if model is None:
        raise DomainError(ErrorCode.UNKNOWN_MODEL, _("No published model %(slug)s.") % {"slug": slug[:80]})
    return model


class ModelListApi(ModelApiView):
    @extend_schema(operation_id="models_list", parameters=[ModelListInputSerializer],
                   responses={200: ModelSerializer(many=True), **errors(400, 401, 429)})
    def get(self, request):
        filters = validated(ModelListInputSerializer, request.query_params)
        models = model_catalogue(theme=filters.get("theme", ""), region=filters.get("region", ""), query=filters.get("q", ""))
        return Response(ModelSerializer([model_row(m) for m in models], many=True).data)


class ModelSchemaApi(ModelApiView):
    @extend_schema(operation_id="models_schema", responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="JSON Schema of the model document")})
    def get(self, request):
        return Response(document_json_schema())


class ModelDetailApi(ModelApiView):
    @extend_schema(operation_id="models_retrieve", parameters=[SLUG], responses={200: ModelDetailSerializer, **errors(401, 404, 429)})
    def get(self, request, slug: str):
        model = _model_or_404(slug)
        latest = model_latest_version(model=model)
        body = {
            **model_row(model),
            "versions": [{"number": v.number, "published_at": v.published_at} for v in model.versions.filter(published_at__isnull=False)],
            "adoptions": [{**adoption_row(a), "figures": adoption_figures(adoption=a)} for a in model_adoptions(model=model)],
            "document": latest.document if latest else {},
        }
        return Response(ModelDetailSerializer(body).data)


class ModelExportApi(ModelApiView):
    @extend_schema(
        operation_id="models_export",
        parameters=[SLUG, OpenApiParameter("version", int, description="a version number (default: the newest published)")],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="the canonical document, byte for byte as stored"), **errors(400, 401, 404, 429)},
    )
    def get(self, request, slug: str):
        model = _model_or_404(slug)
        number = request.query_params.get("version")
        if number is not None:
            if not number.isdigit() or len(number) > 6:
                raise DomainError(ErrorCode.INVALID_PARAMETER, _("version must be a whole number."))
            version = model_version_get(model=model, number=int(number))
        else:
            version = model_latest_version(model=model)
        if version is None:
            raise DomainError(ErrorCode.UNKNOWN_MODEL, _("%(slug)s has no published version %(n)s.") % {"slug": slug, "n": number})
        response = HttpResponse(model_export(version=version), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{model.slug}-v{version.number}.json"'
        return response


class ModelAdoptApi(ModelApiView):
    parser_classes = [JSONParser]

    @extend_schema(operation_id="models_adopt", parameters=[SLUG], request=AdoptInputSerializer,
                   responses={201: AdoptionSerializer, **errors(400, 401, 403, 404, 409, 415, 429)})
    def post(self, request, slug: str):
        model = _model_or_404(slug)
        data = validated(AdoptInputSerializer, request.data if isinstance(request.data, dict) else {})
        government = local_government_get(code=data["government"])
        if government is None:
            raise DomainError(ErrorCode.INVALID_GOVERNMENT, _("No local government %(code)s.") % {"code": data["government"]},
                              fields={"government": [_("Unknown code.")]})
        version = None
        if "version" in data:
            version = model_version_get(model=model, number=data["version"])
            if version is None:
                raise DomainError(ErrorCode.MODEL_NOT_PUBLISHED, _("%(slug)s has no published version %(n)d.") % {"slug": slug, "n": data["version"]})
        adoption = model_adopt(model=model, version=version, government=government, starts_on=data["start"], actor=request.auth,
                               added_fields=data["added_fields"], changed_fields=data["changed_fields"])
        return Response(AdoptionSerializer(adoption_row(adoption)).data, status=status.HTTP_201_CREATED)


class ModelImportApi(ModelApiView):
    parser_classes = [MultiPartParser, JSONParser]

    @extend_schema(
        operation_id="models_import",
        request={"multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}, "required": ["file"]},
                 "application/json": OpenApiTypes.OBJECT},
        responses={201: ImportOutputSerializer, **errors(400, 401, 403, 409, 415, 429)},
    )
    def post(self, request):
        if request.content_type.startswith("multipart/"):
            upload = request.FILES.get("file")
            if upload is None:
                raise DomainError(ErrorCode.MISSING_PARAMETER, _("Send the document (.json) or bundle (.zip) as the file field."),
                                  fields={"file": [_("This field is required.")]})
            raw = upload.read()
        else:  # the document itself as the JSON body; stored in its canonical form
            raw = json.dumps(request.data, ensure_ascii=False).encode("utf-8")
        version = model_import(actor=request.auth, raw=raw)
        return Response(ImportOutputSerializer({"slug": version.model.slug, "version": version.number, "status": version.model.status}).data,
                        status=status.HTTP_201_CREATED)
