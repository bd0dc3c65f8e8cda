"""Reads for area alerts and feeds."""

from __future__ import annotations

from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from alerts.models import Subscription
from geodata.selectors import radius_degrees
from reports.models import Report
from reports.selectors import ReportFilters, report_list

FEED_SIZE = 50


def subscriptions_for_report(*, report: Report) -> QuerySet[Subscription]:
    """Confirmed alerts a new report matches: its government, or a circle around its public point."""
    # Per-row radius, so the distance test is written for PostGIS directly (geography: metres).
    within = RawSQL(
        "ST_DWithin(alerts_subscription.point::geography, ST_GeomFromEWKT(%s)::geography, alerts_subscription.radius_m)",
        [report.public_location.ewkt], output_field=BooleanField(),
    )
    return (
        Subscription.objects.filter(confirmed_at__isnull=False)
        .annotate(near=within)
        .filter(Q(local_government_id=report.local_government_id) | Q(near=True))
        .select_related("user", "local_government")
    )


def subscription_list_for_user(*, user) -> QuerySet[Subscription]:
    return Subscription.objects.filter(Q(user=user) | Q(email__iexact=user.email, confirmed_at__isnull=False) if user.email else Q(user=user)).select_related("local_government")


def feed_reports_in_area(*, code: str) -> QuerySet[Report]:
    reports = report_list(filters=ReportFilters(local_government=code))
    # The reporter too: a shown name may be the account's (Report.public_name), one query per item otherwise.
    return reports.select_related("category", "local_government", "reporter").order_by("-created_at", "-id")[:FEED_SIZE]


def feed_reports_near(*, lon: float, lat: float, radius_m: int) -> QuerySet[Report]:
    point = Point(lon, lat, srid=4326)
    degrees = radius_degrees(radius_m=radius_m, lat=lat)
    return (
        report_list()
        .filter(public_location__dwithin=(point, degrees), public_location__distance_lte=(point, D(m=radius_m)))
        .select_related("category", "local_government", "reporter")
        .order_by("-created_at", "-id")[:FEED_SIZE]
    )


def report_emails_stopped(*, report: Report) -> set[str]:
    """Addresses (lower-case) that stopped the emails about this report."""
    from alerts.models import ReportEmailOptOut

    return set(ReportEmailOptOut.objects.filter(report=report).values_list("email", flat=True))
