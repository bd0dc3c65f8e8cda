"""Reads of the precomputed scorecards: pages, API and downloads read these, never the reports."""

from __future__ import annotations

from django.db.models import QuerySet

from scorecards.indicators import OBJECT_KEYS
from scorecards.models import Scorecard

# Boundaries weigh megabytes; the rows need names and codes only.
BOUNDARIES = ("area__geom", "area__parent__geom")


def scorecard_list(*, province: str | None = None, peer_group: str | None = None, detail: bool = False) -> QuerySet[Scorecard]:
    """Current governments' scorecards, by code; province is a province code (its own row included).

    The curves and breakdowns (`detail`) are left in the database unless asked for.
    """
    rows = (
        Scorecard.objects.filter(area__is_current=True).select_related("area", "area__parent")
        .defer(*BOUNDARIES, *(() if detail else ("detail",)))
    )
    if province:
        rows = rows.filter(area__code__startswith=province)
    if peer_group:
        rows = rows.filter(peer_group=peer_group)
    return rows.order_by("area__code")


def scorecard_get(*, code: str) -> Scorecard | None:
    return (
        Scorecard.objects.filter(area__is_current=True, area__code=code)
        .select_related("area", "area__parent").defer(*BOUNDARIES).first()
    )


def province_of(scorecard: Scorecard):
    """The province a government belongs to (itself for a province-level government)."""
    area = scorecard.area
    while area.parent_id is not None and area.level != "province":
        area = area.parent
    return area


def scorecard_row(scorecard: Scorecard, *, detail: bool = False) -> dict:
    """The published row of a scorecard (API, downloads and pages), in catalogue order."""
    area = scorecard.area
    province = province_of(scorecard)
    row = {
        "code": area.code,
        "name": area.name,
        "name_en": area.name_en,
        "province": {"code": province.code, "name": province.name, "name_en": province.name_en},
        "level": scorecard.peer_group,
        "peer_group": scorecard.peer_group,
        "reports_received": scorecard.reports_received,
        **{key: scorecard.indicators.get(key, {"value": None, "reason": "not_available"}) for key in OBJECT_KEYS},
        "closed_reports": scorecard.closed_reports,
        "band": scorecard.band,
        "band_reason": scorecard.band_reason or None,
        "computed_at": scorecard.computed_at,
    }
    if detail:
        row["km_close"] = scorecard.detail.get("km_close", [])
        row["km_close_peer"] = scorecard.detail.get("km_close_peer", [])
        row["funnel"] = scorecard.detail.get("funnel", {})
        row["submunicipal_units"] = scorecard.detail.get("submunicipal_units", [])
        row["trends"] = scorecard.detail.get("trends", [])
    return row
