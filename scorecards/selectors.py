"""Reads of the precomputed scorecards: pages, API and downloads read these, never the reports."""

from __future__ import annotations

import hashlib
import json

from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from geodata.models import Area
from geodata.selectors import area_geojson_sql
from proposals.models import Obligation
from scorecards.indicators import HEADLINE, OBJECT_KEYS
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


# The choropleth's layers: the 17 province-level governments cover the 226 others, so they are
# drawn apart. About 500 m of simplification: enough at a national zoom, ~0.4 MB for the 226.
MAP_LAYERS = ("municipal", "province")
MAP_SIMPLIFY_DEGREES = 0.005
MAP_CACHE_SECONDS = 24 * 3600


def _map_geometries(layer: str) -> dict[str, str]:
    """{code: GeoJSON geometry text} of the current governments of a layer, simplified by PostGIS.

    Simplifying the boundaries takes seconds, so the result is cached, keyed by the current
    boundaries (a new vintage or a re-import changes the key) rather than by time alone.
    """
    governments = Area.objects.current().local_governments()
    governments = governments.filter(level="province") if layer == "province" else governments.exclude(level="province")
    ids = list(governments.values_list("id", flat=True))
    with connection.cursor() as cursor:
        # Cheap: the rows' versions (xmin) and stored sizes, without reading the geometries.
        cursor.execute(
            "SELECT count(*), sum(id), sum(pg_column_size(geom)), max(xmin::text::bigint) FROM geodata_area WHERE id = ANY(%s)",
            [ids],
        )
        fingerprint = hashlib.sha1(repr((layer, MAP_SIMPLIFY_DEGREES, cursor.fetchone())).encode()).hexdigest()
        key = f"scorecards:map:{fingerprint}"
        geometries = cache.get(key)
        if geometries is None:
            cursor.execute(
                f"SELECT code, {area_geojson_sql('geom', MAP_SIMPLIFY_DEGREES)} FROM geodata_area WHERE id = ANY(%s)",
                [ids],
            )
            geometries = dict(cursor.fetchall())
            cache.set(key, geometries, MAP_CACHE_SECONDS)
    return geometries


def scorecard_map(*, layer: str, url_of) -> str:
    """A GeoJSON FeatureCollection (text) of a layer's governments with every indicator's value.

    Properties: code, names, peer group, band, the page's address (`url_of(code)`), reports
    received and each catalogue indicator's value (null when it cannot be computed).
    """
    geometries = _map_geometries(layer)
    features = []
    for card in scorecard_list():
        geometry = geometries.get(card.area.code)
        if geometry is None:
            continue
        properties = {
            "code": card.area.code, "name": card.area.name, "name_en": card.area.name_en,
            "peer_group": card.peer_group, "band": card.band, "url": url_of(card.area.code),
            "reports_received": card.reports_received,
            **{key: card.indicators.get(key, {}).get("value") for key in OBJECT_KEYS},
        }
        features.append(
            f'{{"type":"Feature","id":{json.dumps(card.area.code)},"geometry":{geometry},'
            f'"properties":{json.dumps(properties, ensure_ascii=False)}}}'
        )
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


BELOW = ("below_95", "below_998")
ABOVE = ("above_95", "above_998")


def models_adopted(*, area_ids: list[int]) -> dict[int, list[dict]]:
    """The published standard models each government adopted or originated: {area_id: [{"name", "url"}]}.

    The one hook for models. In SQL: standard_models sits above the scorecards in the layers (it
    reads them for its evidence), so the scorecards read its tables rather than import it.
    """
    found: dict[int, list[dict]] = {area_id: [] for area_id in area_ids}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT g.id, m.title, m.slug FROM standard_models_standardmodel m"
            " JOIN geodata_area g ON g.id = m.origin_government_id OR g.id IN"
            "   (SELECT a.government_id FROM standard_models_adoption a WHERE a.model_id = m.id)"
            " WHERE m.status = 'published' AND g.id = ANY(%s) ORDER BY m.title, m.slug",
            [list(area_ids)],
        )
        for area_id, title, slug in cursor.fetchall():
            found[area_id].append({"name": title, "url": reverse("standard_models:detail", args=[slug])})
    return found


def open_obligations(*, area_id: int) -> list[dict]:
    """A government's open obligations, soonest due first: [{"title", "due", "url"}]."""
    return [
        {"title": o.proposal.title, "due": timezone.localtime(o.due_at).date(), "url": reverse("proposals:detail", args=[o.proposal_id])}
        for o in Obligation.objects.filter(proposal__local_government_id=area_id, proposal__is_hidden=False,
                                           proposal__is_example=False, closed_at__isnull=True)
        .select_related("proposal").order_by("due_at")
    ]


def scorecard_faster_peers(*, scorecard: Scorecard) -> list[dict] | None:
    """For a government below its peer group's lower funnel limit on the headline indicator, the
    peers above the upper limit and the models they adopted; None when it is not below."""
    position = scorecard.detail.get("funnel", {}).get(HEADLINE, {}).get("position")
    if position not in BELOW:
        return None
    peers = list(
        scorecard_list(peer_group=scorecard.peer_group)
        .filter(**{f"detail__funnel__{HEADLINE}__position__in": list(ABOVE)})
    )
    adopted = models_adopted(area_ids=[peer.area_id for peer in peers])
    return [{"scorecard": peer, "models": adopted[peer.area_id]} for peer in peers]
