"""Open311 GeoReport v2 at /open311/v2/: thin translations over the reports services and selectors."""

from __future__ import annotations

import functools
import re
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from clients.idempotency import run_idempotent
from clients.models import ApiKey, Scope
from clients.services import api_key_authenticate, api_key_rate_limit_hit
from core.errors import DomainError, ErrorCode
from core.parsing import parse_email, parse_id, parse_int
from geodata.models import Area
from geodata.selectors import address_locate, local_government_get, route_point
from open311.renderers import FORMATS, render, render_error
from open311.serialization import SPECIFICATION, request_dict, service_definition_dict, service_dict, service_notice
from reports.models import Channel, Report, ReportEvent
from reports.selectors import (
    category_get_active,
    category_list,
    parse_datetime_param,
    report_filters_parse,
    report_list,
    report_with_details,
)
from reports.services import report_create, validate_coordinates

MAX_DAYS = 90
MAX_RECORDS = 1000
CHANGESET = "2026-05-01T00:00:00+09:00"
ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")


# Open311 answers a key problem with 403 (GeoReport v2 names no 401).
KEY_ERRORS = {ErrorCode.API_KEY_MISSING, ErrorCode.API_KEY_INVALID, ErrorCode.API_KEY_REVOKED, ErrorCode.API_KEY_EXPIRED}


def open311_status(exc: DomainError) -> int:
    return 403 if exc.code in KEY_ERRORS else exc.http_status


def _param(source, name: str) -> str | None:
    """An optional parameter sent empty counts as absent."""
    value = source.get(name)
    return value.strip() if value and value.strip() else None


def open311_view(methods: tuple[str, ...] = ("GET",)):
    """Format by suffix, Open311 errors for every client mistake, the key and its rate limit."""

    def decorator(view):
        @csrf_exempt
        @require_http_methods([*methods, "HEAD"] if "GET" in methods else list(methods))
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, fmt: str, **kwargs) -> HttpResponse:
            if fmt not in FORMATS:
                return render_error("json", 404, _("Unknown format .%(fmt)s: use .xml or .json.") % {"fmt": fmt[:20]}, "unknown_format")
            try:
                if request.method == "POST":
                    _read_body(request)
                request.api_key = _key(request)
                return view(request, *args, fmt=fmt, **kwargs)
            except DomainError as exc:
                # Open311 errors carry one description: the field errors go into it.
                description = exc.message + "".join(
                    f" {field}: {' '.join(map(str, messages))}" for field, messages in exc.fields.items()
                )
                return render_error(fmt, open311_status(exc), description, str(exc.code))
            except RateLimited as exc:
                response = render_error(fmt, 429, _("Too many requests for this API key; retry later."), "rate_limited")
                response["Retry-After"] = str(exc.retry_after)
                return response

        return wrapper

    return decorator


def _read_body(request: HttpRequest) -> None:
    try:
        request.POST  # noqa: B018 - parse now, so a broken body is a 400 here and not a 500 later
        request.FILES  # noqa: B018
    except (MultiPartParserError, SuspiciousOperation) as exc:
        raise DomainError("invalid_body", _("The request body could not be read (broken or too large).")) from exc


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        self.retry_after = retry_after


def _key(request: HttpRequest) -> ApiKey | None:
    raw = _param(request.POST, "api_key") if request.method == "POST" else None
    raw = raw or _param(request.GET, "api_key")
    if raw is None:
        return None
    key = api_key_authenticate(raw_key=raw)
    limit = api_key_rate_limit_hit(key=key)
    if not limit.allowed:
        raise RateLimited(limit.retry_after)
    return key


def _jurisdiction(source) -> Area | None:
    code = _param(source, "jurisdiction_id")
    if code is None:
        return None
    government = local_government_get(code=code)
    if government is None:
        raise DomainError("unknown_jurisdiction", _("Unknown jurisdiction_id %(code)s: use a local government's KOSTAT code.") % {"code": code[:20]})
    return government


def _float(source, name: str) -> float | None:
    value = _param(source, name)
    if value is None:
        return None
    try:
        return float(value)
    except ValueError as exc:
        raise DomainError("invalid_location", _("%(name)s must be a number in decimal degrees.") % {"name": name}) from exc


# --- discovery and services ---------------------------------------------------------------


@open311_view()
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    data = {
        "changeset": CHANGESET,
        "contact": getattr(settings, "OPEN311_CONTACT", "") or _("See the API documentation for how to reach the operators."),
        "key_service": _("Ask the operators for an API key (they create it with manage.py create_api_client)."),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": request.build_absolute_uri("/open311/v2"),
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(data, fmt, root="discovery")


@open311_view()
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    government = _jurisdiction(request.GET)
    lat, lon = _float(request.GET, "lat"), _float(request.GET, "long")
    if (lat is None) != (lon is None):
        raise DomainError("invalid_location", _("Give both lat and long, or neither."))
    if lat is not None:
        lon, lat = validate_coordinates(lon, lat)
        route = route_point(lon=lon, lat=lat)
        if route is None:
            raise DomainError("outside_service_area", _("This location is outside the service area: pick a point in Korea."))
        categories = category_list(local_government_code=route.local_government.code, province_code=route.province.code)
    elif government is not None:
        province = government.code[:2]
        categories = category_list(local_government_code=government.code, province_code=province)
    else:
        categories = category_list()
    return render([service_dict(category) for category in categories], fmt, root="services")


@open311_view()
def service_definition(request: HttpRequest, service_code: str, fmt: str) -> HttpResponse:
    _jurisdiction(request.GET)
    category = category_get_active(code=service_code)
    if category is None:
        raise DomainError("unknown_service", _("Unknown service_code %(code)s.") % {"code": service_code[:64]})
    return render(service_definition_dict(category), fmt, root="service_definition")


# --- requests -------------------------------------------------------------------------------


def _with_details(reports, *, extensions: bool):
    latest_note = (
        ReportEvent.objects.filter(report=OuterRef("pk"), is_public=True)
        .exclude(public_note="")
        .order_by("-created_at", "-id")
        .values("public_note")[:1]
    )
    reports = report_with_details(reports).annotate(status_notes=Subquery(latest_note))
    if extensions:
        reports = reports.prefetch_related(Prefetch("events", queryset=ReportEvent.objects.filter(is_public=True).order_by("created_at", "id")))
    return reports


def _request_list(reports, request: HttpRequest, fmt: str, *, extensions: bool = False) -> HttpResponse:
    build_url = request.build_absolute_uri
    key = request.api_key
    data = [
        request_dict(report, build_url=build_url, extensions=extensions, show_reporter=key is not None and key.sees_reporter_of(report))
        for report in reports
    ]
    return render(data, fmt, root="service_requests")


def _positive_int(source, name: str, default: int, maximum: int) -> int:
    value = _param(source, name)
    if value is None:
        return default
    return parse_int(name, value, minimum=1, maximum=maximum)


@open311_view(methods=("GET", "POST"))
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _request_create(request, fmt)
    params = request.GET
    government = _jurisdiction(params)
    extensions = (_param(params, "extensions") or "").lower() == "true"
    ids = _param(params, "service_request_id")
    if ids is not None:
        wanted = [item.strip() for item in ids.split(",") if item.strip()]
        report_ids = [parse_id(item) for item in wanted]
        if None in report_ids or len(wanted) > MAX_RECORDS:
            raise DomainError("invalid_parameter", _("service_request_id must be a comma-separated list of request ids."))
        reports = report_list().filter(pk__in=report_ids)
        return _request_list(_with_details(reports, extensions=extensions), request, fmt, extensions=extensions)

    status = _param(params, "status")
    if status is not None and any(item.strip() not in ("open", "closed") for item in status.split(",")):
        raise DomainError("invalid_status", _("status must be open, closed or open,closed."))
    start = parse_datetime_param("start_date", params["start_date"]) if _param(params, "start_date") else None
    end = parse_datetime_param("end_date", params["end_date"], end_of_day=True) if _param(params, "end_date") else None
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        start = end - timedelta(days=MAX_DAYS)
    if end is None:
        end = start + timedelta(days=MAX_DAYS)
    if end < start:
        raise DomainError("invalid_date", _("start_date must be before end_date."))
    if end - start > timedelta(days=MAX_DAYS, seconds=1):
        raise DomainError("date_range_too_long", _("start_date and end_date may be at most 90 days apart."))
    filters = report_filters_parse(
        {
            "category": _param(params, "service_code"),
            "status": status,
            "bbox": _param(params, "bbox"),
            "local_government": government.code if government else None,
            "start": start.isoformat(),
            "end": end.isoformat(),
        }
    )
    reports = report_list(filters=filters)
    for name, lookup in (("updated_after", "updated_at__gte"), ("updated_before", "updated_at__lte")):
        if _param(params, name):
            reports = reports.filter(**{lookup: parse_datetime_param(name, params[name])})
    page_size = _positive_int(params, "page_size", MAX_RECORDS, MAX_RECORDS)
    page_number = _positive_int(params, "page", 1, 1_000_000)
    paginator = Paginator(_with_details(reports, extensions=extensions), page_size, allow_empty_first_page=True)
    try:
        page = paginator.page(page_number)
        items = list(page.object_list)
    except EmptyPage:
        items = []
    return _request_list(items, request, fmt, extensions=extensions)


@open311_view()
def request_detail(request: HttpRequest, service_request_id: str, fmt: str) -> HttpResponse:
    _jurisdiction(request.GET)
    extensions = (_param(request.GET, "extensions") or "").lower() == "true"
    report = None
    if (report_id := parse_id(service_request_id)) is not None:
        report = _with_details(report_list(), extensions=extensions).filter(pk=report_id).first()
    if report is None:
        raise DomainError("unknown_request", _("No service request %(id)s.") % {"id": service_request_id[:20]})
    return _request_list([report], request, fmt, extensions=extensions)


@open311_view()
def token_detail(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    _jurisdiction(request.GET)
    try:
        report = Report.objects.filter(token=uuid.UUID(token)).only("pk", "token").first()
    except ValueError:
        report = None
    if report is None:
        raise DomainError("unknown_token", _("No service request has the token %(token)s.") % {"token": token[:40]})
    return render([{"service_request_id": str(report.pk), "token": str(report.token)}], fmt, root="service_requests")


# --- POST requests ----------------------------------------------------------------------------


def _attributes(form) -> dict:
    answers: dict = {}
    for name, values in form.lists():
        match = ATTRIBUTE.match(name)
        if match is None:
            continue
        code, is_list = match.group(1), bool(match.group(2))
        values = [value for value in values if value != ""]
        answers[code] = values if is_list or len(values) > 1 else (values[0] if values else "")
    return answers


def _location(form) -> tuple[float, float]:
    lat, lon = _float(form, "lat"), _float(form, "long")
    if lat is not None and lon is not None:
        return validate_coordinates(lon, lat)
    if lat is not None or lon is not None:
        raise DomainError("invalid_location", _("Give both lat and long."))
    address = _param(form, "address_string")
    if address is None:
        if _param(form, "address_id"):
            raise DomainError("invalid_location", _("address_id is not supported here: give lat and long or address_string."))
        raise DomainError("location_required", _("Give the location: lat and long, or address_string."))
    return address_locate(address=address)


def _contact(form) -> dict:
    email = _param(form, "email") or ""
    if email:
        email = parse_email(email)
    media_url = _param(form, "media_url") or ""
    if media_url:
        try:
            if len(media_url) > 500:
                raise ValidationError("too long")
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError as exc:
            raise DomainError("invalid_media_url", _("media_url must be an http(s) URL of at most 500 characters.")) from exc
    name = " ".join(part for part in (_param(form, "first_name"), _param(form, "last_name")) if part)
    return {
        "reporter_email": email,
        "reporter_name": name,
        "reporter_phone": (_param(form, "phone") or "")[:40],
        "media_url": media_url,
        "device_id": _param(form, "device_id") or "",
        "account_id": _param(form, "account_id") or "",
    }


def _request_create(request: HttpRequest, fmt: str) -> HttpResponse:
    content_type = request.content_type or ""
    if content_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        raise DomainError("unsupported_content_type", _("POST requests as application/x-www-form-urlencoded (or multipart/form-data with photos in media)."))
    form, files = request.POST, request.FILES
    key: ApiKey | None = request.api_key
    if key is None:
        raise DomainError("api_key_missing", _("An API key is required."))
    if not key.has_scope(Scope.SUBMIT):
        raise DomainError("api_key_scope", _("This API key may not submit (it needs the submit scope)."))
    government = _jurisdiction(form) or _jurisdiction(request.GET)
    code = _param(form, "service_code")
    if code is None:
        raise DomainError("service_code_required", _("service_code is required."))
    category = category_get_active(code=code)
    if category is None:
        raise DomainError("unknown_service", _("Unknown service_code %(code)s.") % {"code": code[:64]})
    payload = sorted((name, sorted(values)) for name, values in form.lists() if name != "api_key")

    def create() -> HttpResponse:
        lon, lat = _location(form)
        with transaction.atomic():
            report = _create(lon, lat)
        data = [
            {
                "service_request_id": str(report.pk),
                "token": str(report.token),
                "service_notice": service_notice(report),
                "account_id": report.account_id or None,
            }
        ]
        return render(data, fmt, root="service_requests")

    def _create(lon: float, lat: float) -> Report:
        report = report_create(
            category=category, lon=lon, lat=lat, description=form.get("description", ""),
            answers=_attributes(form), photos=files.getlist("media"), channel=Channel.OPEN311,
            api_client=key.client, jurisdiction=government, **_contact(form),
        )
        return report

    return run_idempotent(request=request, client=key.client, payload=payload, handler=create)

