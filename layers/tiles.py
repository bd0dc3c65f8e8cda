"""Mapbox vector tiles built in PostGIS: /tiles/<layer>/<z>/<x>/<y>.mvt."""

from __future__ import annotations

import hashlib

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from campaigns.outputs import entry_output_fields
from core.errors import DomainError, ErrorCode, json_error_response
from layers import campaign_entries, cells, selectors
from layers.boundaries import boundary_tile
from layers.exports import error_response, public_campaign, report_error_response
from reports.selectors import report_filters_parse

MVT = "application/vnd.mapbox-vector-tile"
MAX_ZOOM = 22
LAYERS = {"reports", "local_governments", "boundaries"}
TILE_FILTERS = {"category", "status"}


@require_GET
def tile(request: HttpRequest, layer: str, z: int, x: int, y: int) -> HttpResponse:
    if layer not in LAYERS:
        return error_response("not_found", _("No such tile layer: use reports, local_governments or boundaries."), status=404)
    if z > MAX_ZOOM or x >= 2**z or y >= 2**z:
        return error_response("not_found", _("No such tile: z is 0 to %(max)d and x, y are below 2^z.") % {"max": MAX_ZOOM}, status=404)
    try:
        data = _tile_data(request, layer, z, x, y)
    except DomainError as exc:
        return report_error_response(exc)
    # Boundaries change only with a new import; reports every minute.
    return tile_response(request, data, max_age=3600 if layer == "boundaries" else 60)


@require_GET
def campaign_tile(request: HttpRequest, slug: str, z: int, x: int, y: int) -> HttpResponse:
    """/tiles/campaigns/<slug>/{z}/{x}/{y}.mvt: layer `entries` (id, entry_type, status, public answers)."""
    if z > MAX_ZOOM or x >= 2**z or y >= 2**z:
        return error_response("not_found", _("No such tile: z is 0 to %(max)d and x, y are below 2^z.") % {"max": MAX_ZOOM}, status=404)
    try:
        campaign = public_campaign(slug)
        unknown = sorted(set(request.GET) - {"fields"})
        if unknown:
            raise DomainError(ErrorCode.UNKNOWN_PARAMETER, _("Campaign tiles take fields only; unknown: %(names)s.") % {"names": ", ".join(unknown)})
        keys = entry_output_fields(campaign=campaign, requested=request.GET.get("fields"))
    except DomainError as exc:
        return json_error_response(exc)
    data = campaign_entries.entry_tile(campaign_entries.EntryQuery(campaign_id=campaign.pk, keys=keys), z=z, x=x, y=y)
    # Volunteers map live: a minute, like the reports.
    return tile_response(request, data, max_age=60)


def tile_response(request: HttpRequest, data: bytes, *, max_age: int) -> HttpResponse:
    """The tile with its ETag: 304 when the client has it, 204 when it is empty."""
    etag = '"' + hashlib.md5(data, usedforsecurity=False).hexdigest() + '"'
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponse(status=304)
    elif not data:
        response = HttpResponse(status=204)
    else:
        response = HttpResponse(data, content_type=MVT)
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response


def _tile_data(request: HttpRequest, layer: str, z: int, x: int, y: int) -> bytes:
    if layer == "local_governments":
        return selectors.area_tile(z=z, x=x, y=y)
    if layer == "boundaries":
        return boundary_tile(z=z, x=x, y=y)
    unknown = set(request.GET) - TILE_FILTERS
    if unknown:
        raise DomainError("unknown_parameter", _("Tiles filter by category and status only; unknown: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    filters = report_filters_parse(request.GET)
    if z >= selectors.POINT_MIN_ZOOM:
        return selectors.report_point_tile(z=z, x=x, y=y, filters=filters)
    category_ids = cells.category_ids_for(filters.categories)
    return selectors.report_cell_tile(z=z, x=x, y=y, category_ids=category_ids, statuses=filters.statuses)
