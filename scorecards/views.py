"""Pages and downloads of the scorecards (a channel: reads the precomputed rows through selectors)."""

from __future__ import annotations

import csv
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.errors import DomainError, ErrorCode, json_error_response
from geodata.models import Area
from scorecards import charts
from scorecards.indicators import (
    BY_KEY,
    FUNNEL_POSITIONS,
    HEADLINE,
    INDICATORS,
    OBJECT_KEYS,
    PEER_GROUPS,
    REASONS,
    csv_headers,
)
from scorecards.models import PeerGroup
from scorecards.selectors import (
    MAP_LAYERS,
    models_adopted,
    open_obligations,
    scorecard_faster_peers,
    scorecard_get,
    scorecard_list,
    scorecard_map,
    scorecard_row,
)

SORTS = ["code", "name", "reports_received", "median_days_to_close", HEADLINE, "band"]
# Shown in the national table, in this order.
TABLE_KEYS = ["median_days_to_acknowledge", "median_days_to_close", HEADLINE, "reopen_rate"]
FUNNEL_KEYS = [key for key in OBJECT_KEYS if BY_KEY[key].kind == "proportion" and BY_KEY[key].available]


def _provinces():
    return list(Area.objects.current().filter(level="province").order_by("code"))


def _name(area_like: dict) -> str:
    return area_like["name_en"] if get_language().startswith("en") and area_like.get("name_en") else area_like["name"]


def _sort_key(sort: str):
    def key(row):
        if sort in ("code", "name"):
            return (0, row[sort])
        value = row["reports_received"] if sort == "reports_received" else row["band"] if sort == "band" else row[sort].get("value")
        return (value is None, value if value is not None else 0)
    return key


def methods(request):
    return render(request, "scorecards/methods.html", {
        "indicators": INDICATORS, "reasons": REASONS, "peer_groups": PEER_GROUPS, "headline": HEADLINE,
    })


def index(request):
    errors = []
    province = request.GET.get("province", "")
    provinces = _provinces()
    if province and province not in {area.code for area in provinces}:
        errors.append(_("Unknown province: choose one from the list."))
        province = ""
    peer_group = request.GET.get("peer_group", "")
    if peer_group and peer_group not in PeerGroup.values:
        errors.append(_("Unknown peer group: choose one from the list."))
        peer_group = ""
    sort = request.GET.get("sort", "code")
    if sort not in SORTS:
        errors.append(_("Unknown sort order: the table is sorted by code."))
        sort = "code"
    descending = request.GET.get("order") == "desc"
    funnel_key = request.GET.get("indicator", HEADLINE)
    if funnel_key not in FUNNEL_KEYS:
        errors.append(_("The funnel plot is drawn for proportions only."))
        funnel_key = HEADLINE
    cards = list(scorecard_list(province=province or None, peer_group=peer_group or None))
    rows = [scorecard_row(card) for card in cards]
    for row in rows:
        row["display_name"] = _name(row)
        row["display_province"] = _name(row["province"])
        row["cells"] = [(key, row[key]) for key in TABLE_KEYS]
    rows.sort(key=_sort_key(sort), reverse=descending)
    # The funnel is drawn for one peer group: the chosen one, else 자치구.
    funnel_group = peer_group or PeerGroup.DISTRICT
    funnel = _funnel(funnel_key, funnel_group)
    context = {
        "rows": rows, "provinces": provinces, "province": province, "peer_group": peer_group,
        "peer_groups": PEER_GROUPS, "sort": sort, "descending": descending, "table_keys": TABLE_KEYS,
        "labels": {key: BY_KEY[key].label for key in OBJECT_KEYS}, "headline": HEADLINE, "errors": errors,
        "funnel": funnel, "funnel_key": funnel_key, "funnel_keys": [(key, BY_KEY[key].label) for key in FUNNEL_KEYS],
        "funnel_group": funnel_group, "funnel_group_label": PEER_GROUPS[funnel_group],
        "computed_at": max((card.computed_at for card in cards), default=None),
        "map_text": _map_text(),
    }
    return render(request, "scorecards/index.html", context, status=400 if errors else 200)


# What the choropleth can colour: the count and every computed indicator with a value to map.
MAP_KEYS = ["reports_received"] + [key for key in OBJECT_KEYS if BY_KEY[key].available]


def _map_text() -> dict:
    """The choropleth's words and choices, in the page's language, for static/dongne/scorecards-map.js."""
    return {
        "url": reverse("scorecards:map"),
        "indicators": [
            {"key": key, "label": str(BY_KEY[key].label), "kind": BY_KEY[key].kind,
             "higherIsBetter": BY_KEY[key].higher_is_better, "definition": reverse("scorecards:methods") + "#" + key}
            for key in MAP_KEYS
        ],
        "layers": [
            {"key": "municipal", "label": _("Cities, counties and districts (226)")},
            {"key": "province", "label": _("Provinces and metropolitan cities (17)")},
        ],
        "noValue": _("no value"), "legend": _("Legend"), "scorecard": _("Scorecard"),
        "days": _("%(days)s days"), "loading": _("Loading the map…"), "failed": _("The map could not be loaded."),
        "higherBetter": _("higher is better"), "lowerBetter": _("lower is better"),
        "language": get_language(),
    }


def map_geojson(request):
    """The choropleth's data: a layer's boundaries (simplified) with every indicator's value."""
    layer = request.GET.get("layer", "municipal")
    if layer not in MAP_LAYERS:
        return json_error_response(DomainError(
            ErrorCode.INVALID_PARAMETER, _("Unknown map layer: use municipal or province."), {"layer": [", ".join(MAP_LAYERS)]}
        ))
    body = scorecard_map(layer=layer, url_of=lambda code: reverse("scorecards:detail", args=[code]))
    return HttpResponse(body, content_type="application/geo+json; charset=utf-8")


def _funnel(key: str, peer_group: str):
    cards = list(scorecard_list(peer_group=peer_group, detail=True))
    points, p0 = [], None
    for card in cards:
        value = card.indicators.get(key, {})
        funnel = card.detail.get("funnel", {}).get(key)
        if value.get("value") is None or funnel is None:
            continue
        p0 = funnel["p0"]
        points.append({
            "n": value["n"], "value": value["value"], "position": funnel["position"],
            "name": card.area.display_name(get_language()), "url": reverse("scorecards:detail", args=[card.area.code]),
        })
    label = str(BY_KEY[key].label)
    return charts.funnel_chart(
        points, p0, title=_("Funnel plot: %(indicator)s") % {"indicator": label},
        x_label=_("reports counted (n)"), y_label=label,
    )


def detail(request, code: str):
    card = scorecard_get(code=code)
    if card is None:
        raise Http404(_("No local government's scorecard with code %(code)s.") % {"code": code})
    row = scorecard_row(card, detail=True)
    name = _name(row)
    indicators = []
    for indicator in INDICATORS:
        if indicator.key == "reports_received":
            continue
        value = row[indicator.key]
        funnel = row["funnel"].get(indicator.key)
        indicators.append({
            "indicator": indicator, "value": value,
            "reason": REASONS.get(value.get("reason", "")) if value.get("value") is None else "",
            "position": FUNNEL_POSITIONS.get(funnel["position"]) if funnel else "",
        })
    chart = charts.km_chart(
        row["km_close"], row["km_close_peer"], title=_("Share of reports still open, by days since filing"),
        own_label=name, peer_label=str(PEER_GROUPS[row["peer_group"]]),
        x_label=_("days since filing"), y_label=_("still open"),
    )
    return render(request, "scorecards/detail.html", {
        "row": row, "name": name, "province_name": _name(row["province"]), "indicators": indicators,
        "peer_group_label": PEER_GROUPS[row["peer_group"]], "km_chart": chart, "card": card,
        "trend_charts": _trend_charts(row["trends"]),
        "faster_peers": scorecard_faster_peers(scorecard=card),
        "own_models": models_adopted(area_ids=[card.area_id])[card.area_id],
        "obligations": open_obligations(area_id=card.area_id),
        "headline_position": row["funnel"].get(HEADLINE),
        "headline_position_label": FUNNEL_POSITIONS.get(row["funnel"].get(HEADLINE, {}).get("position", ""), ""),
    })


TREND_KEYS = ["reports_received", "median_days_to_close", HEADLINE]


def _trend_charts(trends: list[dict]) -> list[dict]:
    """One chart per trend indicator over the quarters, each with its definition's anchor."""
    labels = [point["quarter"] for point in trends]
    return [
        {
            "key": key, "label": BY_KEY[key].label,
            "chart": charts.trend_chart(labels, [point[key] for point in trends], title=str(BY_KEY[key].label),
                                        y_label=str(BY_KEY[key].label), kind=BY_KEY[key].kind),
        }
        for key in TREND_KEYS
    ] if trends else []


def download_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="scorecards.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 Korean only with a BOM
    writer = csv.writer(response)
    writer.writerow(csv_headers())
    for card in scorecard_list():
        row = scorecard_row(card)
        line = [row["code"], row["name"], row["province"]["name"], row["level"], row["peer_group"], row["reports_received"]]
        for key in OBJECT_KEYS:
            value = row[key]
            line += [value.get("value"), value.get("low"), value.get("high"), value.get("n"), value.get("reason", "")]
        line += [row["band"], row["band_reason"] or "", row["closed_reports"], row["computed_at"].isoformat()]
        writer.writerow(["" if cell is None else cell for cell in line])
    return response


def download_json(request):
    rows = [scorecard_row(card) for card in scorecard_list()]
    response = HttpResponse(
        json.dumps(rows, cls=DjangoJSONEncoder, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="scorecards.json"'
    return response
