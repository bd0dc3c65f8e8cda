"""Reads of the precomputed scorecards: pages, API and downloads read these, never the reports."""

from __future__ import annotations

from django.db.models import QuerySet

from scorecards.models import Scorecard

SORTS = {"code", "name", "reports_received", "band", "peer_group"}


def scorecard_list(*, province: str | None = None, peer_group: str | None = None) -> QuerySet[Scorecard]:
    """Current governments' scorecards, by code; province is a province code (its own row included)."""
    rows = Scorecard.objects.filter(area__vintage__is_current=True).select_related("area", "area__parent").defer("detail")
    if province:
        rows = rows.filter(area__code__startswith=province)
    if peer_group:
        rows = rows.filter(peer_group=peer_group)
    return rows.order_by("area__code")


def scorecard_get(*, code: str) -> Scorecard | None:
    return (
        Scorecard.objects.filter(area__vintage__is_current=True, area__code=code)
        .select_related("area", "area__parent").first()
    )


def province_of(scorecard: Scorecard):
    """The province a government belongs to (itself for a province-level government)."""
    area = scorecard.area
    while area.parent_id is not None and area.level != "province":
        area = area.parent
    return area
