"""Reads of reports. Every channel filters through `report_filters_parse` + `report_list`, so the
REST list, Open311, exports, OGC API and tiles agree on what a filter means.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point, Polygon
from django.contrib.gis.measure import D
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, prefetch_related_objects
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.parsing import parse_bbox, parse_datetime_param
from geodata.selectors import radius_degrees
from reports.models import OPEN_STATUSES, Category, Report, ReportEvent, ReportPhoto, ReportQuerySet, Status, overdue_q

OPEN311_STATUS = {"open": list(OPEN_STATUSES), "closed": [Status.CLOSED]}


@dataclass(frozen=True)
class ReportFilters:
    bbox: tuple[float, float, float, float] | None = None
    categories: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    local_government: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    extra: dict = field(default_factory=dict)


def _comma_list(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def report_filters_parse(params) -> ReportFilters:
    """Turn query parameters (bbox, category, status, local_government, start, end) into filters."""
    bbox = parse_bbox(params["bbox"]) if params.get("bbox") else None
    statuses: list[str] = []
    for status in _comma_list(params.get("status")):
        if status in OPEN311_STATUS:
            statuses += OPEN311_STATUS[status]
        elif status in Status.values:
            statuses.append(status)
        else:
            raise DomainError(
                "invalid_status",
                _("Unknown status %(status)s: use open, closed or one of %(statuses)s.")
                % {"status": status, "statuses": ", ".join(Status.values)},
            )
    start = parse_datetime_param("start", params["start"]) if params.get("start") else None
    end = parse_datetime_param("end", params["end"], end_of_day=True) if params.get("end") else None
    if start and end and start > end:
        raise DomainError("invalid_date", _("start must be before end."))
    government = params.get("local_government") or None
    if government is not None and not re.fullmatch(r"[0-9]{2,10}", government):
        raise DomainError("invalid_local_government", _("local_government must be a KOSTAT code such as 11010."))
    return ReportFilters(
        bbox=bbox,
        categories=tuple(_comma_list(params.get("category"))),
        statuses=tuple(dict.fromkeys(statuses)),
        local_government=government,
        start=start,
        end=end,
    )


def report_list(*, filters: ReportFilters | None = None, include_private: bool = False) -> ReportQuerySet:
    """Public reports (or all, for staff) matching the filters, newest first."""
    reports = Report.objects.all() if include_private else Report.objects.public()
    filters = filters or ReportFilters()
    if filters.bbox:
        reports = reports.filter(public_location__intersects=Polygon.from_bbox(filters.bbox))
    if filters.categories:
        reports = reports.filter(category__code__in=filters.categories)
    if filters.statuses:
        reports = reports.filter(status__in=filters.statuses)
    if filters.local_government:
        reports = reports.filter(
            Q(local_government__code=filters.local_government) | Q(local_government__parent__code=filters.local_government)
            if len(filters.local_government) == 2 else Q(local_government__code=filters.local_government)
        )
    if filters.start:
        reports = reports.filter(created_at__gte=filters.start)
    if filters.end:
        reports = reports.filter(created_at__lte=filters.end)
    return reports


def _visible_photos() -> Prefetch:
    return Prefetch("photos", queryset=ReportPhoto.objects.filter(is_hidden=False))


def report_with_details(reports: ReportQuerySet) -> ReportQuerySet:
    return reports.select_related("category", "local_government", "reporter").prefetch_related(_visible_photos())


def report_details_load(report: Report, *, has_photos: bool = True) -> Report:
    """What report_with_details reads, for a report already in memory with its category,
    government and reporter (as report_create returns it): only its photos are read, if it has any."""
    photos = _visible_photos() if has_photos else Prefetch("photos", queryset=ReportPhoto.objects.none())
    prefetch_related_objects([report], photos)
    return report


def report_get_public(*, report_id: int) -> Report | None:
    return report_with_details(Report.objects.public()).filter(pk=report_id).first()


# Photos are stored as reports/<report id>/<random>.<ext> (reports.models.report_photo_path).
# The id finds the row through the report_id index; the name must then match exactly.
_PHOTO_NAME = re.compile(r"reports/(\d{1,18})/[^/]+")


def report_photo_visible(*, name: str, can_see_private: Callable[[Report], bool]) -> ReportPhoto | None:
    """The photo stored under `name` if this viewer may see it, else None.

    Everyone sees a photo no moderator removed, of a public report (confirmed, not hidden).
    Other photos, of hidden or unconfirmed reports or removed by a moderator, only viewers for
    whom `can_see_private(report)` holds: the channel asks staff.selectors (the responsible
    government's staff and moderators). A file that is no report's photo is nobody's to see.
    """
    match = _PHOTO_NAME.fullmatch(name)
    if match is None:
        return None
    photo = (
        ReportPhoto.objects.select_related("report")
        .annotate(report_is_public=Exists(Report.objects.public().filter(pk=OuterRef("report_id"))))
        .filter(report_id=int(match.group(1)), image=name)
        .first()
    )
    if photo is None:
        return None
    if photo.report_is_public and not photo.is_hidden:
        return photo
    return photo if can_see_private(photo.report) else None


def report_public_timeline(*, report: Report) -> list[ReportEvent]:
    return list(report.events.filter(is_public=True).order_by("created_at", "id"))


def report_nearby_open(*, lon: float, lat: float, category: Category | None = None, radius_m: int | None = None, limit: int = 5) -> ReportQuerySet:
    """Open public reports near a point (FixMyStreet shows at most 5 within 250 m), nearest first."""
    point = Point(lon, lat, srid=4326)
    radius = radius_m or settings.DUPLICATE_RADIUS_METERS
    # An index-friendly box in degrees first (wide enough at Korean latitudes), then the exact metres.
    degrees = radius_degrees(radius_m=radius, lat=lat)
    reports = Report.objects.public().open().filter(
        public_location__dwithin=(point, degrees), public_location__distance_lte=(point, D(m=radius))
    )
    if category is not None:
        reports = reports.filter(category=category)
    return reports.select_related("category").annotate(distance=Distance("public_location", point)).order_by("distance")[:limit]


def report_counts(*, reports: ReportQuerySet) -> dict[str, int]:
    """Open and overdue counts of some reports, sample reports never counted."""
    return reports.counted().aggregate(open=Count("id", filter=Q(status__in=OPEN_STATUSES)), overdue=Count("id", filter=overdue_q()))


# The active categories this process has read, under the database's category revision (reports
# migration 0004: any change to a category, question or area stores a number never used before).
# Every report names its category, so this saves two queries a report; treat the objects as read-only.
_active_categories: dict = {"key": None, "by_code": {}}


def _category_revision() -> int | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT revision FROM reports_category_revision")
        row = cursor.fetchone()
    return row[0] if row else None


def category_get_active(*, code: str) -> Category | None:
    """The active category with this code (an Open311 service_code), with its government and questions."""
    global _active_categories
    key = (connection.settings_dict["NAME"], _category_revision())
    cache = _active_categories
    if cache["key"] != key:
        cache = {"key": key, "by_code": {}}
        _active_categories = cache
    if code not in cache["by_code"] or key[1] is None:
        cache["by_code"][code] = (
            Category.objects.filter(code=code, is_active=True).select_related("local_government").prefetch_related("questions").first()
        )
    return cache["by_code"][code]


def category_list(*, local_government_code: str | None = None, province_code: str | None = None) -> list[Category]:
    """Active categories; at a place, the national ones plus that government's and its province's own."""
    categories = Category.objects.filter(is_active=True).select_related("local_government").prefetch_related("questions")
    if local_government_code is not None:
        own = [code for code in (local_government_code, province_code) if code]
        categories = categories.filter(Q(local_government__isnull=True) | Q(local_government__code__in=own))
    return list(categories)
