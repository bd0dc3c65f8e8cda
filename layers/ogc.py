"""OGC API - Features, Part 1 Core, over public reports and the administrative areas.

A thin translation: items come from the same selectors as the exports (features built by
PostGIS), filters from reports.selectors.report_filters_parse; paging is keyset (`cursor`).
"""

from __future__ import annotations

import dataclasses
import json
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from campaigns.models import Campaign
from campaigns.outputs import campaign_get_public, entry_output_fields
from campaigns.selectors import campaign_list
from core.errors import DomainError
from core.parsing import parse_bbox, parse_datetime_param, parse_id
from layers import campaign_entries, selectors
from layers.exports import error_response, report_error_response
from layers.openapi import openapi_document
from reports.selectors import report_filters_parse

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
]
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
GEOJSON = "application/geo+json"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
DEFAULT_LIMIT, MAX_LIMIT = 10, 10000
# numberMatched is optional (OGC API - Features 7.15.8): above this many it is left out.
COUNT_CAP = 10000

COLLECTIONS = {
    "reports": {
        "title": gettext_lazy("Reports"),
        "description": gettext_lazy("Public reports of living inconveniences; sensitive categories at a coarse point."),
    },
    "local_governments": {
        "title": gettext_lazy("Local governments"),
        "description": gettext_lazy("The 243 local governments: 17 provinces and 226 municipalities (KOSTAT 2018)."),
    },
    "provinces": {
        "title": gettext_lazy("Provinces"),
        "description": gettext_lazy("The 17 provinces and metropolitan cities (KOSTAT 2018)."),
    },
}
REPORT_PARAMS = {"category", "status", "local_government"}
ITEM_PARAMS = {"limit", "bbox", "bbox-crs", "datetime", "cursor", "f"}
# A campaign's entries: one collection per campaign, `campaign-<slug>`.
CAMPAIGN_PREFIX = "campaign-"
CAMPAIGN_PARAMS = {"offset", "properties"}


def _wants_html(request: HttpRequest) -> bool:
    fmt = request.GET.get("f")
    if fmt:
        return fmt == "html"
    accept = request.headers.get("Accept", "")
    return "text/html" in accept and "json" not in accept


def _bad_format(request: HttpRequest) -> HttpResponse | None:
    if request.GET.get("f") not in (None, "", "json", "html"):
        return error_response("invalid_format", _("f must be json or html."))
    return None


def _json(data: dict, content_type: str = "application/json") -> HttpResponse:
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type=content_type)


def _url(request: HttpRequest, name: str, *args, **query) -> str:
    url = request.build_absolute_uri(reverse(f"layers:{name}", args=args))
    return f"{url}?{urlencode(query)}" if query else url


def _links(request: HttpRequest, name: str, *args, json_type: str = "application/json") -> list[dict]:
    return [
        {"href": _url(request, name, *args, f="json"), "rel": "self", "type": json_type, "title": _("This document")},
        {"href": _url(request, name, *args, f="html"), "rel": "alternate", "type": "text/html", "title": _("This document as HTML")},
    ]


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    if bad := _bad_format(request):
        return bad
    data = {
        "title": _("Dongne OGC API - Features"),
        "description": _("Public reports and Korea's local governments as OGC API - Features."),
        "links": _links(request, "ogc-landing") + [
            {"href": _url(request, "ogc-api"), "rel": "service-desc", "type": OPENAPI, "title": _("The API definition")},
            {"href": _url(request, "ogc-api", f="html"), "rel": "service-doc", "type": "text/html", "title": _("The API documentation")},
            {"href": _url(request, "ogc-conformance"), "rel": "conformance", "type": "application/json", "title": _("Conformance classes")},
            {"href": _url(request, "ogc-collections"), "rel": "data", "type": "application/json", "title": _("Collections")},
        ],
    }
    if _wants_html(request):
        return render(request, "layers/ogc_landing.html", {"data": data})
    return _json(data)


@require_GET
def conformance(request: HttpRequest) -> HttpResponse:
    if bad := _bad_format(request):
        return bad
    data = {"conformsTo": CONFORMANCE}
    if _wants_html(request):
        return render(request, "layers/ogc_conformance.html", {"data": data})
    return _json(data)


def _campaign(collection_id: str) -> Campaign | None:
    """The campaign of a `campaign-<slug>` collection id, or None."""
    if not collection_id.startswith(CAMPAIGN_PREFIX):
        return None
    return campaign_get_public(slug=collection_id.removeprefix(CAMPAIGN_PREFIX))


@require_GET
def api_document(request: HttpRequest) -> HttpResponse:
    collection_ids = list(COLLECTIONS) + [CAMPAIGN_PREFIX + slug for slug in campaign_list(public=True).values_list("slug", flat=True)]
    document = openapi_document(request.build_absolute_uri(reverse("layers:ogc-landing")).rstrip("/"), collection_ids)
    if request.GET.get("f") == "html":
        return render(request, "layers/ogc_api.html", {"document": document})
    return _json(document, OPENAPI)


def _collection(request: HttpRequest, collection_id: str) -> dict:
    spec = COLLECTIONS[collection_id]
    bbox = selectors.area_extent(kind="provinces")
    extent: dict = {"spatial": {"bbox": [bbox] if bbox else [], "crs": CRS84}}
    if collection_id == "reports":
        first, last = selectors.report_time_extent()
        extent["temporal"] = {
            "interval": [[first.isoformat() if first else None, last.isoformat() if last else None]],
            "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
        }
    return {
        "id": collection_id,
        "title": str(spec["title"]),
        "description": str(spec["description"]),
        "itemType": "feature",
        "crs": [CRS84],
        "storageCrs": CRS84,
        "extent": extent,
        "links": _links(request, "ogc-collection", collection_id) + [
            {"href": _url(request, "ogc-items", collection_id, f="json"), "rel": "items", "type": GEOJSON, "title": _("Items")},
            {"href": _url(request, "ogc-items", collection_id, f="html"), "rel": "items", "type": "text/html", "title": _("Items as HTML")},
        ],
    }


def _campaign_collection(request: HttpRequest, campaign: Campaign, bbox: list[float] | None) -> dict:
    collection_id = CAMPAIGN_PREFIX + campaign.slug
    return {
        "id": collection_id,
        "title": campaign.title,
        "description": campaign.description or _("Entries of the mapping campaign %(title)s.") % {"title": campaign.title},
        "itemType": "feature",
        "crs": [CRS84],
        "storageCrs": CRS84,
        "extent": {
            "spatial": {"bbox": [bbox] if bbox else [], "crs": CRS84},
            "temporal": {
                "interval": [[campaign.starts_at.isoformat(), campaign.ends_at.isoformat()]],
                "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
            },
        },
        "links": _links(request, "ogc-collection", collection_id) + [
            {"href": _url(request, "ogc-items", collection_id, f="json"), "rel": "items", "type": GEOJSON, "title": _("Items")},
            {"href": _url(request, "ogc-items", collection_id, f="html"), "rel": "items", "type": "text/html", "title": _("Items as HTML")},
        ],
    }


def _campaign_collections(request: HttpRequest) -> list[dict]:
    campaigns = list(campaign_list(public=True))
    extents = campaign_entries.campaign_area_extents(campaign_ids=[campaign.pk for campaign in campaigns])
    return [_campaign_collection(request, campaign, extents.get(campaign.pk)) for campaign in campaigns]


@require_GET
def collections(request: HttpRequest) -> HttpResponse:
    if bad := _bad_format(request):
        return bad
    data = {
        "links": _links(request, "ogc-collections"),
        "collections": [_collection(request, collection_id) for collection_id in COLLECTIONS] + _campaign_collections(request),
    }
    if _wants_html(request):
        return render(request, "layers/ogc_collections.html", {"data": data})
    return _json(data)


@require_GET
def collection(request: HttpRequest, collection_id: str) -> HttpResponse:
    if bad := _bad_format(request):
        return bad
    if (campaign := _campaign(collection_id)) is not None:
        extents = campaign_entries.campaign_area_extents(campaign_ids=[campaign.pk])
        data = _campaign_collection(request, campaign, extents.get(campaign.pk))
    elif collection_id in COLLECTIONS:
        data = _collection(request, collection_id)
    else:
        return error_response("not_found", _("No such collection."), status=404)
    if _wants_html(request):
        return render(request, "layers/ogc_collection.html", {"data": data})
    return _json(data)


@dataclasses.dataclass
class ItemQuery:
    limit: int
    bbox: tuple | None
    start: object
    end: object
    cursor: str | None
    offset: int | None = None


def _parse_items(collection_id: str, params) -> ItemQuery:
    extra = REPORT_PARAMS if collection_id == "reports" else CAMPAIGN_PARAMS if collection_id.startswith(CAMPAIGN_PREFIX) else set()
    allowed = ITEM_PARAMS | extra
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise DomainError("unknown_parameter", _("Unknown query parameter: %(names)s.") % {"names": ", ".join(unknown)})
    raw_limit = params.get("limit") or str(DEFAULT_LIMIT)
    limit = parse_id(raw_limit) or 0
    if limit < 1:
        raise DomainError("invalid_limit", _("limit must be a whole number from 1 to %(max)d.") % {"max": MAX_LIMIT})
    bbox = None
    if params.get("bbox"):
        if params.get("bbox-crs") not in (None, "", CRS84):
            raise DomainError("invalid_bbox_crs", _("Only CRS84 bounding boxes are supported."))
        parts = params["bbox"].split(",")
        if len(parts) == 6:  # minimum and maximum heights are ignored: the data is 2D
            parts = [parts[0], parts[1], parts[3], parts[4]]
        bbox = parse_bbox(",".join(parts))
    start = end = None
    if params.get("datetime"):
        start, end = _parse_datetime(params["datetime"])
    offset = None
    if params.get("offset"):
        offset = parse_id(params["offset"]) if params["offset"] != "0" else 0
        if offset is None:
            raise DomainError("invalid_parameter", _("offset must be a whole number, 0 or more."))
    return ItemQuery(limit=min(limit, MAX_LIMIT), bbox=bbox, start=start, end=end, cursor=params.get("cursor") or None, offset=offset)


def _parse_datetime(value: str):
    """An instant, or an interval `start/end` where either end may be `..` (open) or empty."""
    if "/" in value:
        first, _sep, last = value.partition("/")
        start = parse_datetime_param("datetime", first) if first not in ("", "..") else None
        end = parse_datetime_param("datetime", last, end_of_day=True) if last not in ("", "..") else None
        if start and end and start > end:
            raise DomainError("invalid_datetime", _("The datetime interval must start before it ends."))
        return start, end
    return parse_datetime_param("datetime", value), parse_datetime_param("datetime", value, end_of_day=True)


@require_GET
def items(request: HttpRequest, collection_id: str) -> HttpResponse:
    if bad := _bad_format(request):
        return bad
    campaign = _campaign(collection_id)
    if collection_id not in COLLECTIONS and campaign is None:
        return error_response("not_found", _("No such collection."), status=404)
    try:
        query = _parse_items(collection_id, request.GET)
        if campaign is not None:
            features, matched = _campaign_items(request, campaign, query)
        elif collection_id == "reports":
            features, matched = _report_items(request, query)
        else:
            features, matched = _area_items(collection_id, query)
    except DomainError as exc:
        return report_error_response(exc)
    has_next = len(features) > query.limit
    features = features[: query.limit]
    links = [
        {"href": _with_params(request, f="json"), "rel": "self", "type": GEOJSON, "title": _("This document")},
        {"href": _with_params(request, f="html"), "rel": "alternate", "type": "text/html", "title": _("This document as HTML")},
    ]
    links.append({"href": _url(request, "ogc-collection", collection_id), "rel": "collection", "type": "application/json", "title": _("The collection")})
    if has_next:
        # Keyset paging from here on, also after an offset.
        links.append({"href": _with_params(request, cursor=str(features[-1][0]), offset=None), "rel": "next", "type": GEOJSON, "title": _("Next page")})
    if _wants_html(request):
        title = campaign.title if campaign is not None else COLLECTIONS[collection_id]["title"]
        return render(request, "layers/ogc_items.html", {
            "collection_id": collection_id, "title": title, "links": links,
            "features": [json.loads(text) for _fid, text in features],
            "matched": f"{COUNT_CAP:,}+" if matched is None else matched, "returned": len(features),
        })
    head: dict = {"type": "FeatureCollection"}
    if matched is not None:
        head["numberMatched"] = matched
    head.update({
        "numberReturned": len(features),
        "timeStamp": timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "links": links,
    })
    body = json.dumps(head, ensure_ascii=False)[:-1] + ',"features":[' + ",".join(text for _fid, text in features) + "]}"
    return HttpResponse(body, content_type=GEOJSON)


def _with_params(request: HttpRequest, **changes: str | None) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return request.build_absolute_uri(request.path) + "?" + params.urlencode()


def _report_items(request: HttpRequest, query: ItemQuery) -> tuple[list[tuple], int | None]:
    shared = {key: request.GET[key] for key in REPORT_PARAMS if request.GET.get(key)}
    filters = report_filters_parse(shared)
    filters = dataclasses.replace(filters, bbox=query.bbox, start=query.start, end=query.end)
    after = None
    if query.cursor is not None:
        after = parse_id(query.cursor)
        if after is None:
            raise DomainError("invalid_cursor", _("cursor must come from a next link."))
    if after is None:
        return selectors.report_first_page(filters=filters, limit=query.limit + 1, cap=COUNT_CAP)
    features = selectors.report_feature_page(filters=filters, after_id=after, limit=query.limit + 1)
    return features, selectors.report_count(filters=filters, cap=COUNT_CAP)


def _entry_query(campaign: Campaign, request: HttpRequest, query: ItemQuery | None = None, **extra) -> campaign_entries.EntryQuery:
    keys = entry_output_fields(campaign=campaign, requested=request.GET.get("properties"), parameter="properties")
    if query is None:
        return campaign_entries.EntryQuery(campaign_id=campaign.pk, keys=keys, **extra)
    return campaign_entries.EntryQuery(campaign_id=campaign.pk, keys=keys, bbox=query.bbox, start=query.start, end=query.end, **extra)


def _campaign_items(request: HttpRequest, campaign: Campaign, query: ItemQuery) -> tuple[list[tuple], int]:
    after = None
    if query.cursor is not None:
        after = parse_id(query.cursor)
        if after is None:
            raise DomainError("invalid_cursor", _("cursor must come from a next link."))
    entries = _entry_query(campaign, request, query)
    features = campaign_entries.entry_feature_page(
        dataclasses.replace(entries, after_id=after), limit=query.limit + 1, offset=query.offset
    )
    return features, campaign_entries.entry_count(entries)


def _area_items(collection_id: str, query: ItemQuery) -> tuple[list[tuple], int]:
    sql, params = selectors.area_rows_sql(kind=collection_id, bbox=query.bbox, after_code=query.cursor, limit=query.limit + 1)
    return selectors.fetch_all(sql, params), selectors.area_count(kind=collection_id, bbox=query.bbox)


@require_GET
def item(request: HttpRequest, collection_id: str, fid: str) -> HttpResponse:
    if bad := _bad_format(request):
        return bad
    text = None
    if collection_id.startswith(CAMPAIGN_PREFIX):
        campaign = _campaign(collection_id)
        if campaign is not None and (entry_id := parse_id(fid)) is not None:
            unknown = sorted(set(request.GET) - {"f", "properties"})
            try:
                if unknown:
                    raise DomainError("unknown_parameter", _("Unknown query parameter: %(names)s.") % {"names": ", ".join(unknown)})
                rows = campaign_entries.entry_feature_page(_entry_query(campaign, request, entry_id=entry_id), limit=1)
            except DomainError as exc:
                return report_error_response(exc)
            text = rows[0][1] if rows else None
    elif collection_id == "reports" and (report_id := parse_id(fid)) is not None:
        text = selectors.report_feature_get(report_id=report_id)
    elif collection_id in COLLECTIONS and collection_id != "reports":
        rows = selectors.fetch_all(*selectors.area_rows_sql(kind=collection_id, code=fid))
        text = rows[0][1] if rows else None
    if text is None:
        return error_response("not_found", _("No such feature."), status=404)
    links = _links(request, "ogc-item", collection_id, fid, json_type=GEOJSON) + [
        {"href": _url(request, "ogc-collection", collection_id), "rel": "collection", "type": "application/json", "title": _("The collection")},
    ]
    if _wants_html(request):
        return render(request, "layers/ogc_item.html", {"collection_id": collection_id, "feature": json.loads(text), "links": links})
    return HttpResponse(text[:-1] + ',"links":' + json.dumps(links, ensure_ascii=False) + "}", content_type=GEOJSON)
