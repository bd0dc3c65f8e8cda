"""REST endpoints of community mapping campaigns: thin adapters over campaigns.selectors and services.

Reads are public and show public answers only. Entries are posted by a field app's submit-scoped
key for the volunteer whose grant it holds (api.authentication).
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from accounts.grants import Purpose
from api.authentication import ActsForResident, ResidentAuthentication
from api.parsers import JSONParser
from api.serializers import ErrorResponseSerializer
from api.serializers_campaigns import (
    CampaignDetailOutputSerializer,
    CampaignListInputSerializer,
    CampaignOutputSerializer,
    CampaignPageOutputSerializer,
    EntryCreateInputSerializer,
    EntryCreateMultipartInputSerializer,
    EntryListInputSerializer,
    EntryOutputSerializer,
    EntryPageOutputSerializer,
)
from api.views_reports import IDEMPOTENCY_HEADER, KeyedApiView, validated
from campaigns.coverage import campaign_coverage
from campaigns.models import Campaign
from campaigns.outputs import campaign_get_public, entry_list_public, entry_output_fields
from campaigns.selectors import campaign_list
from campaigns.services import entry_submit
from clients.authentication import ReadOrSubmitKey
from clients.idempotency import run_idempotent
from core.errors import DomainError, ErrorCode
from layers.campaign_entries import campaign_area_extents

ERRORS = {
    400: gettext_lazy("Invalid input, or a private field asked for"),
    401: gettext_lazy("A bad API key, or the volunteer's grant missing, invalid or expired"),
    403: gettext_lazy("The key lacks the submit scope, the grant does not let the app post entries, or the volunteer may not take part"),
    404: gettext_lazy("No such campaign"),
    409: gettext_lazy("The campaign is not open, or a request with this Idempotency-Key is still in progress"),
    415: gettext_lazy("Unsupported content type"),
    422: gettext_lazy("The Idempotency-Key was used with a different request"),
    429: gettext_lazy("Rate limit exceeded; see Retry-After"),
}


def errors(*codes: int) -> dict:
    return {code: OpenApiResponse(ErrorResponseSerializer, description=ERRORS[code]) for code in codes}


SLUG = OpenApiParameter("slug", str, OpenApiParameter.PATH, description="the campaign's slug")


def _campaigns():
    """Campaigns with what their output needs, in a fixed number of queries for any page."""
    shown = Q(entries__is_hidden=False)
    return (
        campaign_list(public=True)
        .select_related("organiser_government", "organiser_organisation")
        .prefetch_related("partners", "governments")
        .annotate(entry_count=Count("entries", filter=shown), contributor_count=Count("entries__author", filter=shown, distinct=True))
    )


def _get_campaign(slug: str) -> Campaign:
    campaign = _campaigns().filter(slug=slug).first()
    if campaign is None:
        raise DomainError(ErrorCode.NOT_FOUND, _("No campaign %(slug)s.") % {"slug": slug})
    return campaign


class CampaignPagination(CursorPagination):
    ordering = ("-starts_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class EntryPagination(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class CampaignListApi(KeyedApiView):
    @extend_schema(
        operation_id="campaigns_list",
        parameters=[CampaignListInputSerializer],
        responses={200: CampaignPageOutputSerializer, **errors(400, 401, 429)},
    )
    def get(self, request):
        data = validated(CampaignListInputSerializer, request.query_params)
        campaigns = _campaigns()
        now = timezone.now()
        if state := data.get("state"):
            campaigns = campaigns.filter({
                "upcoming": Q(starts_at__gt=now),
                "open": Q(starts_at__lte=now, ends_at__gt=now),
                "closed": Q(ends_at__lte=now),
            }[state])
        if theme := data.get("theme"):
            campaigns = campaigns.filter(theme=theme)
        paginator = CampaignPagination()
        page = paginator.paginate_queryset(campaigns, request, view=self)
        context = {"request": request, "now": now, "extents": campaign_area_extents(campaign_ids=[c.pk for c in page])}
        return paginator.get_paginated_response(CampaignOutputSerializer(page, many=True, context=context).data)


class CampaignDetailApi(KeyedApiView):
    @extend_schema(operation_id="campaigns_retrieve", parameters=[SLUG], responses={200: CampaignDetailOutputSerializer, **errors(401, 404, 429)})
    def get(self, request, slug: str):
        campaign = _get_campaign(slug)
        context = {
            "request": request, "extents": campaign_area_extents(campaign_ids=[campaign.pk]),
            "coverage": campaign_coverage(campaign=campaign),
        }
        return Response(CampaignDetailOutputSerializer(campaign, context=context).data)


class CampaignEntriesApi(KeyedApiView):
    authentication_classes = [ResidentAuthentication]
    permission_classes = [ReadOrSubmitKey, ActsForResident]  # an entry needs the app's key: no site session
    resident_purpose = Purpose.CAMPAIGN_ENTRIES
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        operation_id="campaigns_entries_list",
        parameters=[SLUG, EntryListInputSerializer],
        responses={200: EntryPageOutputSerializer, **errors(400, 401, 404, 429)},
    )
    def get(self, request, slug: str):
        campaign = campaign_get_public(slug=slug)
        if campaign is None:
            raise DomainError(ErrorCode.NOT_FOUND, _("No campaign %(slug)s.") % {"slug": slug})
        data = validated(EntryListInputSerializer, request.query_params)
        keys = entry_output_fields(campaign=campaign, requested=data.get("fields"))
        entries = entry_list_public(campaign=campaign)
        if status := data.get("status"):
            entries = entries.filter(status=status)
        if entry_type := data.get("entry_type"):
            entries = entries.filter(entry_type=entry_type)
        paginator = EntryPagination()
        page = paginator.paginate_queryset(entries, request, view=self)
        return paginator.get_paginated_response(EntryOutputSerializer(page, many=True, context={"request": request, "keys": keys, "slug": campaign.slug}).data)

    @extend_schema(
        operation_id="campaigns_entries_create",
        parameters=[SLUG, IDEMPOTENCY_HEADER],
        request={"application/json": EntryCreateInputSerializer, "multipart/form-data": EntryCreateMultipartInputSerializer},
        responses={201: EntryOutputSerializer, **errors(400, 401, 403, 404, 409, 415, 422, 429)},
        auth=[{"bearerAuth": [], "residentGrant": []}, {"apiKeyHeader": [], "residentGrant": []}],
    )
    def post(self, request, slug: str):
        campaign = campaign_get_public(slug=slug)
        if campaign is None:
            raise DomainError(ErrorCode.NOT_FOUND, _("No campaign %(slug)s.") % {"slug": slug})
        payload = self._payload(request)
        data = validated(EntryCreateInputSerializer, payload)
        photos = self._photos(request)
        author = request.user

        def submit() -> HttpResponse:
            entry = entry_submit(
                campaign=campaign, author=author, entry_type=data["entry_type"], lon=data["lon"], lat=data["lat"],
                answers=data["answers"], photos=photos,
            )
            context = {"request": request, "keys": entry_output_fields(campaign=campaign, requested=None), "slug": campaign.slug}
            body = EntryOutputSerializer(entry, context=context).data
            return HttpResponse(JSONRenderer().render(body), status=201, content_type="application/json")

        # The volunteer is part of what makes two requests the same: one app, many people.
        return run_idempotent(request=request, client=request.auth.client, payload={"volunteer": author.pk, **payload}, handler=submit)

    @staticmethod
    def _payload(request) -> dict:
        """The body as plain data (multipart fields come as strings; a repeated field as its last value)."""
        if hasattr(request.data, "dict"):
            return {key: value for key, value in request.data.dict().items() if key not in request.FILES}
        if not isinstance(request.data, dict):
            raise DomainError(ErrorCode.INVALID, _("The body must be a JSON object."))
        return request.data

    @staticmethod
    def _photos(request):
        """`photos` files answer the form's first photo field; files named after a photo field answer it."""
        if not request.content_type.startswith("multipart/"):
            return []
        files = {name: request.FILES.getlist(name) for name in request.FILES}
        if set(files) <= {"photos"}:
            return files.get("photos", [])
        return files
